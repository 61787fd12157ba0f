-- Lineage of each iteration: the set it filtered (parent iteration, 0 = the training split), the digest of the
-- subset it kept, and the policy and order that kept it. Rows of older runs keep NULLs.
ALTER TABLE iteration ADD COLUMN parent INTEGER;
ALTER TABLE iteration ADD COLUMN subset_digest TEXT;
ALTER TABLE iteration ADD COLUMN policy TEXT;
ALTER TABLE iteration ADD COLUMN sort_order TEXT;
