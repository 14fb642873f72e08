DROP INDEX "outbox_due_idx";--> statement-breakpoint
CREATE INDEX "outbox_claim_idx" ON "outbox" USING btree ("priority","due_at","id") WHERE "outbox"."status" in ('pending', 'sending');