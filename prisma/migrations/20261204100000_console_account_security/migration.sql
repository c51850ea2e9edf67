-- AlterTable
ALTER TABLE "console_accounts" ADD COLUMN     "failed_sign_ins" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failed_since_at" TIMESTAMPTZ(3),
ADD COLUMN     "locked_until" TIMESTAMPTZ(3),
ADD COLUMN     "must_change_password" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "totp_enabled_at" TIMESTAMPTZ(3),
ADD COLUMN     "totp_last_step" INTEGER,
ADD COLUMN     "totp_secret" TEXT;

-- AlterTable
ALTER TABLE "console_sessions" ADD COLUMN     "ip_address" TEXT,
ADD COLUMN     "second_factor_pending" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "user_agent" TEXT;

