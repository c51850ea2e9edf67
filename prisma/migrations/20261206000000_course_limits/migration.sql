-- AlterTable
ALTER TABLE "courses" ADD COLUMN     "eligible_counties" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "prerequisite_course_codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "prerequisite_note" TEXT;

