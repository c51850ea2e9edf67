-- AlterTable
ALTER TABLE "courses" ADD COLUMN     "pass_exam_score" INTEGER;

