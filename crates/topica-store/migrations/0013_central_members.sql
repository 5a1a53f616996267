-- A leaf's papers by centrality straight from the index: related papers in a large library take a
-- leaf's most central few hundred (`central_members`), which through `topic_papers_topic` meant
-- reading every member's row to sort them (a leaf of a 1M library holds ~2,500). The new index
-- serves everything the old one did: its columns lead this one's.
DROP INDEX topic_papers_topic;
CREATE INDEX topic_papers_central ON topic_papers(topic_id, primary_leaf, centrality DESC);
