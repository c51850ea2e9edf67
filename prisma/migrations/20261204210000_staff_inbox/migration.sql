-- CreateTable
CREATE TABLE "inbox_items" (
    "id" UUID NOT NULL,
    "seq" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "person_id" UUID,
    "channel" TEXT NOT NULL,
    "channel_user" TEXT NOT NULL,
    "chat_id" TEXT NOT NULL,
    "county" TEXT,
    "last_text" TEXT NOT NULL,
    "tracking_no" TEXT,
    "callback_phone" TEXT,
    "callback_time" TEXT,
    "claimed_by" TEXT,
    "outcome" TEXT,
    "rating" INTEGER,
    "transcript" JSONB NOT NULL DEFAULT '[]',
    "last_staff_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "inbox_items_seq_key" ON "inbox_items"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "inbox_items_tracking_no_key" ON "inbox_items"("tracking_no");

-- CreateIndex
CREATE INDEX "inbox_items_status_created_at_idx" ON "inbox_items"("status", "created_at");

-- CreateIndex
CREATE INDEX "inbox_items_channel_channel_user_status_idx" ON "inbox_items"("channel", "channel_user", "status");

