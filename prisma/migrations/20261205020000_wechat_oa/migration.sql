-- CreateTable
CREATE TABLE "wechat_oa_consents" (
    "id" UUID NOT NULL,
    "open_id" TEXT NOT NULL,
    "template_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "remaining" INTEGER NOT NULL DEFAULT 0,
    "scene" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "wechat_oa_consents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wechat_oa_sends" (
    "msg_id" TEXT NOT NULL,
    "delivery_key" TEXT,
    "open_id" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "template_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'sent',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "wechat_oa_sends_pkey" PRIMARY KEY ("msg_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "wechat_oa_consents_open_id_template_id_key" ON "wechat_oa_consents"("open_id", "template_id");

-- CreateIndex
CREATE INDEX "wechat_oa_sends_delivery_key_idx" ON "wechat_oa_sends"("delivery_key");

