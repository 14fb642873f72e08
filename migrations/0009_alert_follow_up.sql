CREATE TABLE "alert_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"event" text NOT NULL,
	"person_id" uuid,
	"note" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" uuid NOT NULL,
	"assignee_person_id" uuid NOT NULL,
	"assigned_by" uuid,
	"due_on" date NOT NULL,
	"done_at" timestamp with time zone,
	"outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_visits" ADD CONSTRAINT "alert_visits_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_visits" ADD CONSTRAINT "alert_visits_assignee_person_id_people_id_fk" FOREIGN KEY ("assignee_person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_visits" ADD CONSTRAINT "alert_visits_assigned_by_people_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_events_alert_idx" ON "alert_events" USING btree ("alert_id","at");--> statement-breakpoint
CREATE INDEX "alert_visits_alert_idx" ON "alert_visits" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "alert_visits_assignee_idx" ON "alert_visits" USING btree ("assignee_person_id","done_at");--> statement-breakpoint
-- Alerts raised before their history was kept start it with what is known of them.
INSERT INTO "alert_events" ("alert_id", "event", "at") SELECT "id", 'raised', "created_at" FROM "alerts";--> statement-breakpoint
INSERT INTO "alert_events" ("alert_id", "event", "at")
  SELECT "id", 'withdrawn', ("details" ->> 'withdrawnAt')::timestamptz FROM "alerts" WHERE "details" ->> 'withdrawnAt' IS NOT NULL;
