-- CreateTable
CREATE TABLE "family_links" (
    "id" UUID NOT NULL,
    "proxy_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "relation" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "family_links_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "family_links_member_id_idx" ON "family_links"("member_id");

-- CreateIndex
CREATE UNIQUE INDEX "family_links_proxy_id_member_id_key" ON "family_links"("proxy_id", "member_id");

-- AddForeignKey
ALTER TABLE "family_links" ADD CONSTRAINT "family_links_proxy_id_fkey" FOREIGN KEY ("proxy_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "family_links" ADD CONSTRAINT "family_links_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

