-- AlterTable
ALTER TABLE "coordinators" ADD COLUMN     "subsidy_officer" BOOLEAN NOT NULL DEFAULT false;

