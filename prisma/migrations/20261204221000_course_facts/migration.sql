-- AlterTable
ALTER TABLE "courses" ADD COLUMN     "address" TEXT,
ADD COLUMN     "certificate" TEXT,
ADD COLUMN     "certificate_en" TEXT,
ADD COLUMN     "contact_phone" TEXT,
ADD COLUMN     "daily_hours" TEXT,
ADD COLUMN     "duration_days" INTEGER,
ADD COLUMN     "lodging" TEXT,
ADD COLUMN     "lodging_note" TEXT,
ADD COLUMN     "materials" TEXT,
ADD COLUMN     "materials_en" TEXT,
ADD COLUMN     "meals" TEXT;

