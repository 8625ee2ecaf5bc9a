import type { AuditLog, AuditRecord } from '../../../functions/_platform/audit-log';

/** Audit records kept in an array, in the order they were appended. */
export const inMemoryAuditLog = (): AuditLog & { readonly records: AuditRecord[] } => {
  const records: AuditRecord[] = [];
  return {
    records,
    async append(record) {
      records.push(structuredClone(record));
    },
  };
};
