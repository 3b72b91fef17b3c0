/**
 * Real dvc.yaml files from public repositories (test/fixtures/dvc-corpus, sources in test/fixtures/README.md): each loads with the
 * stages DVC would generate, or fails naming the file and line. Expected stage names and edges
 * below were written by reading the files, not by running pipewright.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import jsYaml from 'js-yaml';
import { loadDvcPipeline } from '../../src/define/dvc-pipeline.js';
import { isPipelineError } from '../../src/errors.js';
import { buildGraph } from '../../src/graph/graph.js';
import { DVC_CORPUS as CORPUS } from '../helpers/fixtures.js';

interface Manifest { dir: string; stages: number; features: string[] }
const manifest: Manifest[] = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const cols = line.split('\t');
  return { dir: cols[0]!, stages: Number(cols[4]), features: (cols[5] ?? '').split(',').filter(Boolean) };
});

function edgesOf(dir: string): { stages: string[]; edges: string[] } {
  const graph = buildGraph(loadDvcPipeline(join(CORPUS, dir, 'dvc.yaml')), undefined, { structureOnly: true });
  const edges = graph.order.flatMap((name) => graph.nodes.get(name)!.upstream.map((up) => `${up} -> ${name}`));
  return { stages: [...graph.order].sort(), edges: edges.sort() };
}

/** Files that cannot load, and why: DVC rejects them, or what they read lies outside the corpus. */
const FAILS: Record<string, RegExp> = {
  '06-rmnldwg__lynference': /vars file .*params\.yaml not found/,
};

describe('the dvc.yaml corpus', () => {
  it('every file loads, or fails with its line and a reason; malformed ones fail', () => {
    for (const { dir, stages, features } of manifest) {
      const file = join(CORPUS, dir, 'dvc.yaml');
      if (FAILS[dir] || features.includes('malformed')) {
        assert.ok(FAILS[dir], `${dir} is malformed and must be listed with its reason`);
        assert.throws(() => loadDvcPipeline(file), (err: unknown) => isPipelineError(err) && FAILS[dir]!.test(err.message) && err.where?.line !== undefined, dir);
        continue;
      }
      const declaration = loadDvcPipeline(file);
      // The manifest counts top-level entries; `foreach` and `matrix` entries generate several.
      const generates = /^\s+(foreach|matrix):/m.test(readFileSync(file, 'utf8'));
      if (generates) assert.ok(declaration.stages.length > stages, dir);
      else assert.equal(declaration.stages.length, stages, dir);
      // Its graph builds: no cycle, no two stages writing one path, no out inside another's.
      assert.doesNotThrow(() => buildGraph(declaration, undefined, { structureOnly: true }), dir);
    }
  });

  const fixtures: Record<string, { stages: string[]; edges: string[] }> = {
    '01-CCRI-POPROX__poprox-recommender': { stages: ['train-nrms-mind'], edges: [] },
    '11-Deltares-research__delta-data-control': {
      stages: ['collect_data', 'process_data', 'visualize_results'],
      edges: ['collect_data -> process_data', 'process_data -> visualize_results'],
    },
    '14-stefanieZhao77__DSL-ML': {
      stages: ['evaluate_automl', 'prepare', 'train_automl'],
      edges: ['prepare -> evaluate_automl', 'prepare -> train_automl', 'train_automl -> evaluate_automl'],
    },
    '15-aai540-group3__project': {
      stages: ['autogluon', 'explore', 'feast', 'featurize', 'infrastruct', 'ingest', 'logisticregression', 'neuralnetwork', 'preprocess'],
      edges: [
        'featurize -> autogluon', 'featurize -> feast', 'featurize -> logisticregression', 'featurize -> neuralnetwork',
        'infrastruct -> ingest', 'ingest -> preprocess', 'preprocess -> explore', 'preprocess -> featurize',
      ],
    },
    '20-m-ahmed-elbeskeri__puffin-finetune-studio': {
      stages: ['dataset_card', 'dedupe', 'eval_latency', 'eval_regression', 'eval_safety', 'eval_task', 'gate', 'ingest', 'redact_pii', 'split', 'train', 'validate'],
      edges: ['dedupe -> split', 'ingest -> redact_pii', 'ingest -> validate', 'redact_pii -> dedupe', 'split -> dataset_card', 'split -> train'],
    },
    '21-simonlevine__x-transformer-icd': {
      stages: ['filter_text_notes', 'prepare_for_xbert', 'xbert_feat_embedding', 'xbert_label_embedding', 'xbert_model_training',
        'xbert_ranker_and_eval', 'xbert_trained_model_prediction'],
      edges: [
        'filter_text_notes -> prepare_for_xbert',
        'prepare_for_xbert -> xbert_feat_embedding', 'prepare_for_xbert -> xbert_label_embedding', 'prepare_for_xbert -> xbert_ranker_and_eval',
        'xbert_feat_embedding -> xbert_model_training', 'xbert_feat_embedding -> xbert_trained_model_prediction',
        'xbert_label_embedding -> xbert_model_training', 'xbert_label_embedding -> xbert_ranker_and_eval', 'xbert_label_embedding -> xbert_trained_model_prediction',
        'xbert_model_training -> xbert_trained_model_prediction',
        'xbert_trained_model_prediction -> xbert_ranker_and_eval',
      ],
    },
    '23-ignatl__ds_template': {
      stages: ['evaluate', 'featurize', 'inference', 'split', 'train_model'],
      edges: [
        'featurize -> inference', 'featurize -> train_model',
        'split -> evaluate', 'split -> featurize', 'split -> inference', 'split -> train_model',
        'train_model -> evaluate', 'train_model -> inference',
      ],
    },
    '28-113578__ableton-live-rag': { stages: ['download_corpus'], edges: [] },
  };
  // 22: foreach over genes and over dataset ids; each download feeds the alignment of the same item.
  const genes = ['Mbp', 'S100b', 'Gfap', 'Cnp', 'Pcnp', 'Aldh1l1', 'Tmem119', 'Pvalb', 'Sst', 'Vip', 'Gad1'];
  const ids = ['100142290', '100142355', '100141805'];
  fixtures['22-BlueBrain__atlas-interpolation'] = {
    stages: ['download-nissl', ...ids.map((i) => `download_special_dataset@${i}`), ...genes.map((g) => `download_dataset@${g}`),
      ...genes.map((g) => `align@${g}`), ...ids.map((i) => `align_special_dataset@${i}`)].sort(),
    edges: [...genes.map((g) => `download_dataset@${g} -> align@${g}`), ...ids.map((i) => `download_special_dataset@${i} -> align_special_dataset@${i}`)].sort(),
  };
  // 17: written for goodreads/dvc.yaml, half of its stages with `wdir: ..` naming files as
  // `goodreads/...`. In the corpus the folder has another name, so those paths lie in a sibling
  // folder, as DVC would resolve them here: the wdir stages connect only among themselves.
  const upstreamOf17: Record<string, string[]> = {
    'book-isbn-ids': [], 'book-links': [],
    'cluster-actions': ['book-links'], 'cluster-actions-5core': [],
    'cluster-ratings': ['book-links'], 'cluster-ratings-5core': [],
    'scan-author-info': [], 'scan-book-genres': [], 'scan-book-info': [], 'scan-interactions': [],
    'scan-reviews': ['scan-interactions'], 'scan-work-info': [],
    'work-actions': ['book-links'], 'work-actions-2015-100-10core': [], 'work-actions-5core': [],
    'work-all-actions': ['scan-book-info', 'scan-interactions'],
    'work-author': ['scan-author-info', 'scan-book-info'], 'work-first-author': ['scan-author-info', 'scan-book-info'],
    'work-gender': [], 'work-item-genres': ['scan-book-genres', 'scan-book-info'],
    'work-item-titles': ['scan-book-info', 'scan-work-info'],
    'work-ratings': ['book-links'], 'work-ratings-2015-100-10core': [], 'work-ratings-5core': [],
    'works-5core-dataset': ['scan-book-genres', 'work-actions-5core', 'work-item-genres', 'work-item-titles'],
    'works-dataset': ['scan-book-genres', 'work-item-genres', 'work-item-titles'],
  };
  fixtures['17-PIReTship__bookdata-tools'] = {
    stages: Object.keys(upstreamOf17).sort(),
    edges: Object.entries(upstreamOf17).flatMap(([stage, ups]) => ups.map((up) => `${up} -> ${stage}`)).sort(),
  };
  // 04: matrices over the years and states listed in params.yaml (read here as plain data); no
  // stage has deps, so there are no edges.
  if (existsSync(join(CORPUS, '04-mitchellhenke__lodes/params.yaml'))) {
    const input = (jsYaml.load(readFileSync(join(CORPUS, '04-mitchellhenke__lodes/params.yaml'), 'utf8')) as { input: { year: string[]; state: string[] } }).input;
    fixtures['04-mitchellhenke__lodes'] = {
      stages: [
        ...input.year.flatMap((y) => input.state.map((st) => `fetch_lodes_by_state@${y}-${st}`)),
        ...input.year.map((y) => `collect_aux@${y}`),
        ...['tract', 'block_group', 'county', 'county_subdivision'].map((g) => `fetch_cb@2020-${g}`),
        'fetch_cb_zcta@2020-zcta',
      ].sort(),
      edges: [],
    };
  }
  // 02: matrices of datasets (mappings, so named `dataset<i>`) by models (named by value), and a
  // foreach over the malnutrition models; each eval stage reads its train stage's checkpoint.
  if (existsSync(join(CORPUS, '02-MArpogaus__hybrid-flows/params.yaml'))) {
    const p = jsYaml.load(readFileSync(join(CORPUS, '02-MArpogaus__hybrid-flows/params.yaml'), 'utf8')) as Record<string, unknown[]>;
    const keys = (datasets: unknown[], models: unknown[]) => datasets.flatMap((_, i) => models.map((m) => `dataset${i}-${String(m)}`));
    const pairs = [
      ...keys(p.sim_datasets!, p.sim_models!).map((k) => [`train-sim@${k}`, `eval-sim@${k}`]),
      ...keys(p.benchmark_datasets!, p.benchmark_models!).map((k) => [`train-benchmark@${k}`, `eval-benchmark@${k}`]),
      ...p.malnutrition_models!.map((m) => [`train-malnutrition@${String(m)}`, `eval-malnutrition@${String(m)}`]),
    ];
    fixtures['02-MArpogaus__hybrid-flows'] = { stages: pairs.flat().sort(), edges: pairs.map(([train, evaluate]) => `${train} -> ${evaluate}`).sort() };
  }
  // 03: twelve matrices over 5 years, 51 states and census geographies (params.yaml, read here as
  // plain data): 4,172 stages. Folder deps (`blockloc/year=Y/`) and outs (`cenloc/year=Y/geography=G/`)
  // connect whole groups.
  if (existsSync(join(CORPUS, '03-dfsnow__opentimes/params.yaml'))) {
    const input = (jsYaml.load(readFileSync(join(CORPUS, '03-dfsnow__opentimes/params.yaml'), 'utf8')) as {
      input: { year: string[]; state: string[]; census: { geography: { all: string[]; national: string[]; by_state: string[] } } };
    }).input;
    const { year: years, state: states } = input;
    const { all, national, by_state: byState } = input.census.geography;
    const cenlocByState = ['county_subdivision', 'tract', 'block_group'];
    const stages: string[] = [];
    const edges: string[] = [];
    for (const y of years) {
      for (const g of national) stages.push(`fetch_tiger_national@${y}-${g}`);
      for (const g of byState) for (const st of states) stages.push(`fetch_tiger_by_state@${y}-${g}-${st}`);
      stages.push(`fetch_osm_national@${y}`);
      for (const st of states) {
        stages.push(`create_blockloc_by_state@${y}-${st}`, `create_osmclip_by_state@${y}-${st}`, `create_osmextract_by_state@${y}-${st}`);
        edges.push(`fetch_blockpop_by_state@2020-${st} -> create_blockloc_by_state@${y}-${st}`,
          `fetch_tiger_by_state@${y}-block-${st} -> create_blockloc_by_state@${y}-${st}`,
          `fetch_tiger_national@${y}-state -> create_osmclip_by_state@${y}-${st}`,
          `fetch_osm_national@${y} -> create_osmextract_by_state@${y}-${st}`,
          `create_osmclip_by_state@${y}-${st} -> create_osmextract_by_state@${y}-${st}`);
      }
      for (const g of national) {
        stages.push(`create_cenloc_national@${y}-${g}`);
        edges.push(`fetch_tiger_national@${y}-${g} -> create_cenloc_national@${y}-${g}`,
          ...states.map((st) => `create_blockloc_by_state@${y}-${st} -> create_cenloc_national@${y}-${g}`));
      }
      for (const g of cenlocByState) {
        for (const st of states) {
          stages.push(`create_cenloc_by_state@${y}-${g}-${st}`);
          edges.push(`fetch_tiger_by_state@${y}-${g}-${st} -> create_cenloc_by_state@${y}-${g}-${st}`,
            ...states.map((other) => `create_blockloc_by_state@${y}-${other} -> create_cenloc_by_state@${y}-${g}-${st}`));
        }
      }
      for (const g of all) {
        for (const st of states) {
          stages.push(`create_destpoint_by_state@${y}-${g}-${st}`);
          const cenloc = national.includes(g) ? `create_cenloc_national@${y}-${g}` : `create_cenloc_by_state@${y}-${g}-${st}`;
          edges.push(`${cenloc} -> create_destpoint_by_state@${y}-${g}-${st}`, `create_osmclip_by_state@${y}-${st} -> create_destpoint_by_state@${y}-${g}-${st}`);
        }
      }
    }
    stages.push(...states.map((st) => `fetch_blockpop_by_state@2020-${st}`));
    stages.push(...['state', 'county', 'county_subdivision', 'tract', 'block_group'].map((g) => `fetch_cb@2023-${g}`), 'fetch_cb_zcta@2020-zcta');
    fixtures['03-dfsnow__opentimes'] = { stages: stages.sort(), edges: edges.sort() };
  }
  for (const [dir, expected] of Object.entries(fixtures)) {
    it(`${dir}: stages and edges`, () => assert.deepEqual(edgesOf(dir), expected));
  }

  it('every file that loads has its stages and edges written down', () => {
    assert.deepEqual(manifest.map((m) => m.dir).filter((dir) => !FAILS[dir] && !fixtures[dir]), []);
  });

  it('MANIFEST.tsv lists exactly the folders shipped, and every expectation names one of them', () => {
    const folders = readdirSync(CORPUS).filter((d) => statSync(join(CORPUS, d)).isDirectory()).sort();
    assert.ok(folders.length > 0, `no projects in ${CORPUS}`);
    assert.deepEqual(manifest.map((m) => m.dir).sort(), folders);
    for (const dir of [...Object.keys(fixtures), ...Object.keys(FAILS)]) assert.ok(folders.includes(dir), `${dir} is not in the corpus`);
  });
});
