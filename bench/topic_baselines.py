#!/usr/bin/env python3
"""scikit-learn baselines for Topica's topic benchmark (`topica-cli bench-topics`).

Reads the same corpus files the Rust side reads (in place), builds the same text (title + abstract),
runs TF-IDF+KMeans, TF-IDF+NMF and LDA at k = number of labels, and prints one JSON object:
{"baselines": {name: {"nmi", "ari", "seconds"}}, "ours": {"nmi", "ari"}} where "ours" scores the
assignment file Topica wrote, with scikit-learn's own metric code.

  topic_baselines.py --corpus jsonl|mathcsv --path FILE --k K [--ours assignments.json] [--only nmf]

Semantic baselines (--only minilm-kmeans,bertopic; need sentence-transformers and umap-learn):
all-MiniLM-L6-v2 through sentence-transformers (PyTorch, CPU, 2 threads, 256 tokens: the
embedding rate Topica's Rust encoder is compared with), then KMeans on the embeddings, and
BERTopic's published pipeline (UMAP to 5 dimensions, cosine, 15 neighbours, then KMeans). The
embeddings are cached in --cache (by the texts' hash), the rate is from the run that made them.
"""
import argparse, ast, csv, json, sys, time

from sklearn.cluster import KMeans
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

ap = argparse.ArgumentParser()
ap.add_argument('--corpus', required=True, choices=['jsonl', 'mathcsv', 'synth'])
ap.add_argument('--path', required=True)
ap.add_argument('--k', type=int, required=True)
ap.add_argument('--ours')
ap.add_argument('--only', default='kmeans,nmf,lda')
ap.add_argument('--model', help='sentence-transformers folder of all-MiniLM-L6-v2')
ap.add_argument('--cache', help='folder for cached embeddings')
a = ap.parse_args()

texts, labels = [], []
if a.corpus == 'mathcsv':
    csv.field_size_limit(10**8)
    with open(a.path, encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f):
            tags = ast.literal_eval(row['tags'])
            texts.append((row['title'] or '') + '\n' + (row['abstract'] or ''))
            labels.append(tags[0])
else:
    for line in open(a.path, encoding='utf-8'):
        p = json.loads(line)
        cats = p['categories'] if isinstance(p['categories'], list) else p['categories'].split()
        primary = p.get('primary_category') or cats[0]
        texts.append((p.get('title') or '') + '\n' + (p.get('abstract') or ''))
        labels.append(primary.split('.')[0] if a.corpus != 'mathcsv' else primary)

out = {'n': len(texts), 'labels': len(set(labels)), 'baselines': {}}
def score(name, pred, secs):
    out['baselines'][name] = {'nmi': normalized_mutual_info_score(labels, pred),
                              'ari': adjusted_rand_score(labels, pred), 'seconds': secs}

only = a.only.split(',')
if 'kmeans' in only or 'nmf' in only:
    t = time.time()
    tfidf = TfidfVectorizer(stop_words='english', min_df=2, max_df=0.5, sublinear_tf=True)
    X = tfidf.fit_transform(texts)
    vec_secs = time.time() - t
    if 'kmeans' in only:
        t = time.time()
        pred = KMeans(n_clusters=a.k, n_init=4, random_state=0).fit_predict(X)
        score('tfidf+kmeans', pred, vec_secs + time.time() - t)
    if 'nmf' in only:
        t = time.time()
        W = NMF(n_components=a.k, init='nndsvd', random_state=0, max_iter=200).fit_transform(X)
        score('tfidf+nmf', W.argmax(axis=1), vec_secs + time.time() - t)
if 'lda' in only:
    t = time.time()
    C = CountVectorizer(stop_words='english', min_df=2, max_df=0.5).fit_transform(texts)
    D = LatentDirichletAllocation(n_components=a.k, random_state=0, learning_method='online').fit_transform(C)
    score('lda', D.argmax(axis=1), time.time() - t)
if 'st-rate' in only:
    # The embedding rate on the first 300 papers, as `topica-cli bench-topics` measures ours.
    import torch
    torch.set_num_threads(2)
    from sentence_transformers import SentenceTransformer
    m = SentenceTransformer(a.model, device='cpu')
    m.max_seq_length = 256
    some = [t.replace('\n', '. ', 1) for t in texts[:300]]
    t = time.time()
    m.encode(some, batch_size=32, normalize_embeddings=True)
    out['st_rate'] = len(some) / (time.time() - t)
if 'minilm-kmeans' in only or 'bertopic' in only:
    import hashlib, os
    import numpy as np
    key = hashlib.sha256('\0'.join(texts).encode()).hexdigest()[:16]
    cache = os.path.join(a.cache or '.', f'st-embeddings-{key}.npy')
    if os.path.exists(cache):
        E = np.load(cache)
        out['embedding'] = {'cached': True}
    else:
        import torch
        torch.set_num_threads(2)
        from sentence_transformers import SentenceTransformer
        m = SentenceTransformer(a.model, device='cpu')
        m.max_seq_length = 256
        # The same text as Topica embeds: "title. abstract".
        st_texts = [t.replace('\n', '. ', 1) for t in texts]
        t = time.time()
        E = m.encode(st_texts, batch_size=32, normalize_embeddings=True)
        secs = time.time() - t
        out['embedding'] = {'cached': False, 'seconds': secs, 'rate': len(texts) / secs}
        np.save(cache, E)
    if 'minilm-kmeans' in only:
        t = time.time()
        pred = KMeans(n_clusters=a.k, n_init=4, random_state=0).fit_predict(E)
        score('minilm+kmeans', pred, time.time() - t)
    if 'bertopic' in only:
        import umap
        t = time.time()
        R = umap.UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric='cosine', random_state=42).fit_transform(E)
        pred = KMeans(n_clusters=a.k, n_init=4, random_state=0).fit_predict(R)
        score('minilm+umap+kmeans', pred, time.time() - t)
if a.ours:
    ours = json.load(open(a.ours))
    out['ours'] = {'nmi': normalized_mutual_info_score(labels, ours), 'ari': adjusted_rand_score(labels, ours)}
json.dump(out, sys.stdout)
print()
