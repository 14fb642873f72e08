CREATE TABLE "branch_chats" (
	"address" text PRIMARY KEY NOT NULL,
	"branch_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"linked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "branch_chats" ADD CONSTRAINT "branch_chats_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "branch_chats_branch_idx" ON "branch_chats" USING btree ("branch_id");--> statement-breakpoint
-- The Telegram group each branch had linked becomes its first linked chat.
INSERT INTO "branch_chats" ("address", "branch_id", "channel", "linked_at")
  SELECT 'telegram:' || "telegram_group_id", "id", 'telegram', now() FROM "branches" WHERE "telegram_group_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "branches" DROP COLUMN "telegram_group_id";