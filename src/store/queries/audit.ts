import type { AuditEntry } from "../../core/ports.ts";
import type { Database } from "../database.ts";
import { auditLog } from "../schema/index.ts";

export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorPersonId: entry.actorPersonId,
    branchId: entry.branchId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    at: entry.at,
  });
}
