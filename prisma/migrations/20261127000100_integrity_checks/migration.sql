-- Rules Prisma's schema language cannot express; the database enforces them whatever the code does.
-- A seat can never be taken beyond capacity, even by a buggy or concurrent writer.
ALTER TABLE "courses" ADD CONSTRAINT "courses_seats_within_capacity" CHECK ("seats_taken" >= 0 AND "seats_taken" <= "capacity");
ALTER TABLE "courses" ADD CONSTRAINT "courses_status_valid" CHECK ("status" IN ('draft', 'open', 'closed', 'cancelled'));
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_status_valid" CHECK ("status" IN ('confirmed', 'waitlisted', 'cancelled', 'attended'));
-- A waitlist position exists exactly when the enrolment is waitlisted, and is unique within a course.
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_waitlist_position_iff_waitlisted" CHECK (("status" = 'waitlisted') = ("waitlist_position" IS NOT NULL));
CREATE UNIQUE INDEX "enrolments_course_waitlist_position_key" ON "enrolments" ("course_id", "waitlist_position") WHERE "waitlist_position" IS NOT NULL;
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_status_valid" CHECK ("status" IN ('pending', 'sent', 'failed'));
