-- AlterTable
ALTER TABLE "console_accounts" DROP COLUMN "failed_since_at",
DROP COLUMN "failed_sign_ins";

-- CreateTable
CREATE TABLE "console_sign_in_failures" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    "next_at" TIMESTAMPTZ(3),

    CONSTRAINT "console_sign_in_failures_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "console_sign_in_failures_since_idx" ON "console_sign_in_failures"("since");
