-- CreateTable
CREATE TABLE "leave_requests" (
    "id" UUID NOT NULL,
    "enrolment_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "leave_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "leave_requests_session_id_idx" ON "leave_requests"("session_id");

-- CreateIndex
CREATE UNIQUE INDEX "leave_requests_enrolment_id_session_id_key" ON "leave_requests"("enrolment_id", "session_id");

