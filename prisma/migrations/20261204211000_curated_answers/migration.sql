-- CreateTable
CREATE TABLE "unanswered_questions" (
    "id" BIGSERIAL NOT NULL,
    "text" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "clause_id" TEXT,
    "confidence" DOUBLE PRECISION NOT NULL,
    "county" TEXT,
    "asked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),
    "curated_answer_id" UUID,

    CONSTRAINT "unanswered_questions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "curated_answers" (
    "id" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "questions" TEXT[],
    "answer" TEXT NOT NULL,
    "clause_ids" TEXT[],
    "county" TEXT,
    "valid_until" DATE,
    "retired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "curated_answers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "curated_answer_versions" (
    "answer_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "questions" TEXT[],
    "answer" TEXT NOT NULL,
    "clause_ids" TEXT[],
    "county" TEXT,
    "valid_until" DATE,
    "retired" BOOLEAN NOT NULL DEFAULT false,
    "saved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "saved_by" TEXT NOT NULL,

    CONSTRAINT "curated_answer_versions_pkey" PRIMARY KEY ("answer_id","version")
);

-- CreateIndex
CREATE INDEX "unanswered_questions_closed_at_asked_at_idx" ON "unanswered_questions"("closed_at", "asked_at");

-- CreateIndex
CREATE INDEX "curated_answers_updated_at_idx" ON "curated_answers"("updated_at");

-- AddForeignKey
ALTER TABLE "curated_answer_versions" ADD CONSTRAINT "curated_answer_versions_answer_id_fkey" FOREIGN KEY ("answer_id") REFERENCES "curated_answers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

