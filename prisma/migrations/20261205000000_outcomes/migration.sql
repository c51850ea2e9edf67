-- AlterTable
ALTER TABLE "courses" ADD COLUMN     "completed_at" TIMESTAMPTZ(3),
ADD COLUMN     "pass_attendance_pct" INTEGER NOT NULL DEFAULT 80;

-- CreateTable
CREATE TABLE "attendance" (
    "id" UUID NOT NULL,
    "enrolment_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "checked_in_at" TIMESTAMPTZ(3),
    "marked_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "course_results" (
    "id" UUID NOT NULL,
    "enrolment_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "attendance_pct" INTEGER,
    "exam_score" INTEGER,
    "completed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by" UUID,

    CONSTRAINT "course_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "certificates" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "enrolment_id" UUID,
    "course_id" UUID,
    "type" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "issued_on" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "satisfaction_surveys" (
    "id" UUID NOT NULL,
    "enrolment_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "asked_at" TIMESTAMPTZ(3),
    "reminded_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3),
    "rating" INTEGER,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "satisfaction_surveys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "employment_checks" (
    "id" UUID NOT NULL,
    "enrolment_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "months" INTEGER NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "asked_at" TIMESTAMPTZ(3),
    "reminded_at" TIMESTAMPTZ(3),
    "answered_at" TIMESTAMPTZ(3),
    "status" TEXT,
    "trade" TEXT,
    "county" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "employment_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subsidy_claims" (
    "id" UUID NOT NULL,
    "enrolment_id" UUID NOT NULL,
    "group_code" TEXT,
    "status" TEXT NOT NULL DEFAULT 'not_applied',
    "missing_docs" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "amount_yuan" INTEGER,
    "updated_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "subsidy_claims_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_targets" (
    "county" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "sessions" INTEGER NOT NULL,
    "poverty_sessions" INTEGER NOT NULL,

    CONSTRAINT "training_targets_pkey" PRIMARY KEY ("county","year")
);

-- CreateIndex
CREATE INDEX "attendance_session_id_idx" ON "attendance"("session_id");

-- CreateIndex
CREATE UNIQUE INDEX "attendance_enrolment_id_session_id_key" ON "attendance"("enrolment_id", "session_id");

-- CreateIndex
CREATE UNIQUE INDEX "course_results_enrolment_id_key" ON "course_results"("enrolment_id");

-- CreateIndex
CREATE INDEX "course_results_course_id_idx" ON "course_results"("course_id");

-- CreateIndex
CREATE INDEX "certificates_person_id_idx" ON "certificates"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "certificates_type_number_key" ON "certificates"("type", "number");

-- CreateIndex
CREATE UNIQUE INDEX "satisfaction_surveys_enrolment_id_key" ON "satisfaction_surveys"("enrolment_id");

-- CreateIndex
CREATE INDEX "satisfaction_surveys_course_id_idx" ON "satisfaction_surveys"("course_id");

-- CreateIndex
CREATE INDEX "employment_checks_due_at_idx" ON "employment_checks"("due_at");

-- CreateIndex
CREATE INDEX "employment_checks_course_id_idx" ON "employment_checks"("course_id");

-- CreateIndex
CREATE UNIQUE INDEX "employment_checks_enrolment_id_months_key" ON "employment_checks"("enrolment_id", "months");

-- CreateIndex
CREATE UNIQUE INDEX "subsidy_claims_enrolment_id_key" ON "subsidy_claims"("enrolment_id");

-- CreateIndex
CREATE INDEX "subsidy_claims_status_idx" ON "subsidy_claims"("status");

-- AddForeignKey
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "class_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_results" ADD CONSTRAINT "course_results_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "satisfaction_surveys" ADD CONSTRAINT "satisfaction_surveys_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "employment_checks" ADD CONSTRAINT "employment_checks_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subsidy_claims" ADD CONSTRAINT "subsidy_claims_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

