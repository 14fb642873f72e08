CREATE TABLE "offered_choices" (
	"address" text PRIMARY KEY NOT NULL,
	"payloads" jsonb NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
