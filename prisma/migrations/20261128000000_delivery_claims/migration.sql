-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "claimed_at" TIMESTAMPTZ(3),
ADD COLUMN     "claimed_by" TEXT,
ADD COLUMN     "in_doubt" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "message" JSONB;

-- CreateIndex
CREATE INDEX "deliveries_status_created_at_idx" ON "deliveries"("status", "created_at");

-- Hand-written: a delivery is claimed ('sending') by one job attempt before the platform is called.
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_status_valid";
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_status_valid" CHECK ("status" IN ('pending', 'sending', 'sent', 'failed'));
