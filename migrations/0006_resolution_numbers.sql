ALTER TABLE "resolutions" ADD COLUMN "year" smallint;--> statement-breakpoint
ALTER TABLE "resolutions" ADD COLUMN "number" smallint;--> statement-breakpoint
UPDATE "resolutions" SET "year" = "numbered"."year", "number" = "numbered"."number" FROM (
  SELECT "r"."id", "y"."year", row_number() OVER (PARTITION BY "r"."branch_id", "y"."year" ORDER BY "r"."created_at", "r"."id")::smallint AS "number"
    FROM "resolutions" "r"
    JOIN "meetings" "m" ON "m"."id" = "r"."meeting_id"
    JOIN "branches" "b" ON "b"."id" = "r"."branch_id"
    CROSS JOIN LATERAL (SELECT extract(year FROM "m"."starts_at" AT TIME ZONE "b"."timezone")::smallint AS "year") "y"
) "numbered" WHERE "numbered"."id" = "resolutions"."id";--> statement-breakpoint
ALTER TABLE "resolutions" ALTER COLUMN "year" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "resolutions" ALTER COLUMN "number" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "resolutions" ADD CONSTRAINT "resolutions_number_uq" UNIQUE("branch_id","year","number");--> statement-breakpoint
ALTER TABLE "resolutions" ADD CONSTRAINT "resolutions_number_ck" CHECK ("resolutions"."number" >= 1);
