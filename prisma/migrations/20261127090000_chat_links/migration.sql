-- CreateTable
CREATE TABLE "chat_links" (
    "id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "chat_id" TEXT NOT NULL,
    "course_id" UUID NOT NULL,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_links_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "chat_links_course_id_idx" ON "chat_links"("course_id");

-- CreateIndex
CREATE UNIQUE INDEX "chat_links_channel_chat_id_course_id_key" ON "chat_links"("channel", "chat_id", "course_id");

-- AddForeignKey
ALTER TABLE "chat_links" ADD CONSTRAINT "chat_links_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

