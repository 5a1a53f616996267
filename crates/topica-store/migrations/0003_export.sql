-- Citation keys are unique case-insensitively (BibTeX and biber treat `Smith2020` and
-- `smith2020` as one key); this index makes that check fast at import and export.
CREATE INDEX IF NOT EXISTS papers_citation_key_nocase ON papers(citation_key COLLATE NOCASE);
