-- AlterTable
ALTER TABLE "enrolments" ADD COLUMN     "promoted_at" TIMESTAMPTZ(3);

