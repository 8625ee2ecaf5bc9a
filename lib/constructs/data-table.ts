import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface DataTableProps {
  /** `single` = pk/sk item collections with one generic GSI; `keyValue` = one `id` partition key (idempotency records). */
  readonly keys: 'single' | 'keyValue';
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes the item some time after it passes. */
  readonly timeToLiveAttribute?: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A DynamoDB table with the house defaults: on-demand, encrypted with the AWS-managed KMS key, point-in-time
 * recovery. Single-table designs use `pk`/`sk` strings and the overloaded index `gsi1` (`gsi1pk`/`gsi1sk`);
 * each capability documents its key design beside its repository.
 */
export class DataTable extends Table {
  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id, {
      partitionKey: { name: props.keys === 'single' ? 'pk' : 'id', type: AttributeType.STRING },
      sortKey: props.keys === 'single' ? { name: 'sk', type: AttributeType.STRING } : undefined,
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: props.timeToLiveAttribute,
      removalPolicy: props.removalPolicy,
    });
    if (props.keys === 'single') {
      this.addGlobalSecondaryIndex({
        indexName: 'gsi1',
        partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
        sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
