-- AlterTable
ALTER TABLE "courses" ADD COLUMN     "last_waitlist_position" INTEGER NOT NULL DEFAULT 0;

-- Sign-up hands out waitlist positions from this counter; start it after the positions already given.
UPDATE "courses" c SET "last_waitlist_position" = w.last
FROM (SELECT "course_id", max("waitlist_position") AS last FROM "enrolments" GROUP BY "course_id") w
WHERE w."course_id" = c."id" AND w.last IS NOT NULL;
