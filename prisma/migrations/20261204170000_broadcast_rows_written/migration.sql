-- AlterTable
ALTER TABLE "broadcasts" ADD COLUMN     "rows_written_at" TIMESTAMPTZ(3);

-- Notices confirmed before this column wrote all their rows in the confirming transaction.
UPDATE "broadcasts" SET "rows_written_at" = "confirmed_at" WHERE "status" IN ('sending', 'completed');
