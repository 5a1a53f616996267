#!/usr/bin/env python3
"""scikit-learn baselines for Topica's topic benchmark (`topica-cli bench-topics`).

Reads the same corpus files the Rust side reads (in place), builds the same text (title + abstract),
runs TF-IDF+KMeans, TF-IDF+NMF and LDA at k = number of labels, and prints one JSON object:
{"baselines": {name: {"nmi", "ari", "seconds"}}, "ours": {"nmi", "ari"}} where "ours" scores the
assignment file Topica wrote, with scikit-learn's own metric code.

  topic_baselines.py --corpus jsonl|mathcsv --path FILE --k K [--ours assignments.json] [--only nmf]
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
if a.ours:
    ours = json.load(open(a.ours))
    out['ours'] = {'nmi': normalized_mutual_info_score(labels, ours), 'ari': adjusted_rand_score(labels, ours)}
json.dump(out, sys.stdout)
print()
