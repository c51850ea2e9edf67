-- CreateTable
CREATE TABLE "contact_preferences" (
    "person_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "opt_out" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_preferences_pkey" PRIMARY KEY ("person_id","channel")
);

-- CreateTable
CREATE TABLE "notice_ack_requests" (
    "broadcast_id" UUID NOT NULL,
    "follow_up_minutes" INTEGER NOT NULL,
    "followed_up_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notice_ack_requests_pkey" PRIMARY KEY ("broadcast_id")
);

-- CreateTable
CREATE TABLE "notice_acks" (
    "broadcast_id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "via" TEXT NOT NULL,
    "delivery_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notice_acks_pkey" PRIMARY KEY ("broadcast_id","person_id")
);

-- CreateTable
CREATE TABLE "schedule_changes" (
    "id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "session_id" UUID,
    "kind" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "actor_id" UUID,
    "source" TEXT NOT NULL,
    "notified" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedule_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "schedule_changes_course_id_created_at_idx" ON "schedule_changes"("course_id", "created_at");

