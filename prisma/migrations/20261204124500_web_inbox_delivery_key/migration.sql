-- AlterTable
ALTER TABLE "web_inbox" ADD COLUMN     "delivery_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "web_inbox_session_id_delivery_key_key" ON "web_inbox"("session_id", "delivery_key");

