-- CreateTable
CREATE TABLE "erasure_scrubs" (
    "person_id" UUID NOT NULL,
    "traces_enc" TEXT NOT NULL,
    "stage" TEXT NOT NULL DEFAULT 'narrow',
    "after_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "erasure_scrubs_pkey" PRIMARY KEY ("person_id")
);

-- CreateIndex
CREATE INDEX "deliveries_person_id_idx" ON "deliveries"("person_id");
