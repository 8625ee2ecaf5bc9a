import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** One resource of a CloudFormation template, as CDK synthesizes it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
}

export interface StackArtifact {
  readonly stackName: string;
  readonly template: CfnTemplate;
}

/** The synthesized app: its stacks in deployment order, and where its assets (function bundles) are. */
export interface CloudAssembly {
  readonly directory: string;
  readonly stacks: readonly StackArtifact[];
}

interface Manifest {
  readonly artifacts: Record<string, { type: string; properties?: { templateFile?: string; stackName?: string }; dependencies?: string[] }>;
}

/** An error the runtime reports as one line telling the user what to do. */
export class LocalRuntimeError extends Error {}

/** Reads `cdk.out/manifest.json` and every stack template, ordered so a stack comes after those it imports from. */
export const readCloudAssembly = (directory: string): CloudAssembly => {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    throw new LocalRuntimeError(`No synthesized app in ${directory}: run \`npm start\` (it synthesizes first) or \`npx cdk synth\`.`);
  }
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const ids = new Set(stacks.map(([id]) => id));
  const ordered: string[] = [];
  const visit = (id: string, trail: string[]): void => {
    if (ordered.includes(id)) return;
    if (trail.includes(id)) throw new LocalRuntimeError(`Stacks depend on each other in a cycle: ${[...trail, id].join(' → ')}`);
    for (const dep of manifest.artifacts[id].dependencies ?? []) if (ids.has(dep)) visit(dep, [...trail, id]);
    ordered.push(id);
  };
  for (const [id] of stacks) visit(id, []);
  return {
    directory,
    stacks: ordered.map((id) => {
      const artifact = manifest.artifacts[id];
      const templateFile = artifact.properties?.templateFile ?? `${id}.template.json`;
      return {
        stackName: artifact.properties?.stackName ?? id,
        template: JSON.parse(readFileSync(path.join(directory, templateFile), 'utf8')) as CfnTemplate,
      };
    }),
  };
};

/** Resources of the given type across all stacks, with their stack and logical id. */
export const resourcesOfType = (assembly: CloudAssembly, type: string) =>
  assembly.stacks.flatMap((stack) =>
    Object.entries(stack.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([logicalId, resource]) => ({ stackName: stack.stackName, logicalId, resource })),
  );
