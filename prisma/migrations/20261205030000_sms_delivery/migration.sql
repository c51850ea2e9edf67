-- AlterTable
ALTER TABLE "people" ADD COLUMN     "preferred_route" TEXT;

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "person_id" UUID,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "provider" TEXT,
    "provider_message_id" TEXT,
    "segments" INTEGER,
    "report_status" TEXT,
    "report_code" TEXT,
    "reported_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "delivery_attempts_delivery_id_idx" ON "delivery_attempts"("delivery_id");

-- CreateIndex
CREATE INDEX "delivery_attempts_person_id_channel_created_at_idx" ON "delivery_attempts"("person_id", "channel", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_attempts_provider_provider_message_id_key" ON "delivery_attempts"("provider", "provider_message_id");

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

