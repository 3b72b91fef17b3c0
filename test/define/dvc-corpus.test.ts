/**
 * Real dvc.yaml files from public repositories (test/fixtures/dvc-corpus, sources in test/fixtures/README.md): each loads with the
 * stages DVC would generate, or fails naming the file and line. Expected stage names and edges
 * below were written by reading the files, not by running pipewright.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
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
  '29-SoyGema__Neural-Machine-Translation': /tab character/,
  '30-FUSA-ROADS__fusa-net-experiments': /"live" is not a stage key/,
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
    '09-open-innovations__constituencies': {
      stages: ['get-storm-overflows', 'storm-overflows', 'unzip-storm-overflows'],
      edges: ['get-storm-overflows -> unzip-storm-overflows', 'unzip-storm-overflows -> storm-overflows'],
    },
    '10-open-innovations__northumbria-culture-connect': {
      stages: ['arts-council', 'charity-commission', 'geo', 'get-data', 'load-data', 'prepare-geo'],
      edges: ['get-data -> arts-council', 'get-data -> load-data', 'get-data -> prepare-geo'],
    },
    '11-Deltares-research__delta-data-control': {
      stages: ['collect_data', 'process_data', 'visualize_results'],
      edges: ['collect_data -> process_data', 'process_data -> visualize_results'],
    },
    '13-gottalottarock__esm-2-contact-map': {
      stages: ['evaluate@val', 'filter_sequences@test', 'filter_sequences@train', 'mmseqs2', 'parse_pdb@test', 'parse_pdb@train',
        'predict@test', 'predict@val', 'prepare_dataset', 'train'],
      edges: [
        'filter_sequences@test -> mmseqs2', 'filter_sequences@test -> prepare_dataset',
        'filter_sequences@train -> mmseqs2', 'filter_sequences@train -> prepare_dataset',
        'mmseqs2 -> evaluate@val',
        'parse_pdb@test -> filter_sequences@test', 'parse_pdb@train -> filter_sequences@train',
        'predict@val -> evaluate@val',
        'prepare_dataset -> evaluate@val', 'prepare_dataset -> predict@test', 'prepare_dataset -> predict@val', 'prepare_dataset -> train',
      ],
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
    '24-grigory-consulting__flops': {
      stages: ['drift', 'evaluate', 'fetch', 'preprocess_features', 'preprocess_seq', 'train_rf', 'train_rnn'],
      edges: [
        'fetch -> preprocess_features', 'fetch -> preprocess_seq',
        'preprocess_features -> drift', 'preprocess_features -> evaluate', 'preprocess_features -> train_rf',
        'preprocess_seq -> evaluate', 'preprocess_seq -> train_rnn',
        'train_rf -> evaluate', 'train_rnn -> evaluate',
      ],
    },
    '25-2025ab05117__recomart-mlops': {
      stages: ['feature_engineering', 'generator', 'ingestion', 'preparation', 'registry_and_lineage', 'training', 'validation'],
      edges: [
        'feature_engineering -> registry_and_lineage', 'feature_engineering -> training',
        'generator -> ingestion', 'generator -> registry_and_lineage',
        'ingestion -> registry_and_lineage', 'ingestion -> validation',
        'preparation -> feature_engineering', 'preparation -> registry_and_lineage',
        'training -> registry_and_lineage',
        'validation -> preparation', 'validation -> registry_and_lineage',
      ],
    },
    '26-itcarroll__re-nobm-pcc': { stages: ['simulate'], edges: [] },
    '27-Yoshua-M__wiki_gender_gap': { stages: ['pipeline'], edges: [] },
    '28-113578__ableton-live-rag': { stages: ['download_corpus'], edges: [] },
  };
  // 05: eight `foreach` groups over the two speakers of params.yaml, plus one plain stage.
  const speakers = ['caromopfen', 'Karlsson'];
  const groups = ['download_hui_data', 'train_fastpitch', 'generate_mels', 'train_hifigan', 'infer_and_compare', 'export_onnx', 'infer_onnx', 'export_torchaot'];
  fixtures['05-TassiloHo__CaroTTS'] = {
    stages: ['download_pretrained_modules', ...groups.flatMap((g) => speakers.map((s) => `${g}@${s}`))].sort(),
    edges: speakers.flatMap((s) => [
      `download_hui_data@${s} -> generate_mels@${s}`, `download_hui_data@${s} -> infer_and_compare@${s}`, `download_hui_data@${s} -> infer_onnx@${s}`,
      `train_fastpitch@${s} -> generate_mels@${s}`, `train_fastpitch@${s} -> infer_and_compare@${s}`,
      `train_fastpitch@${s} -> export_onnx@${s}`, `train_fastpitch@${s} -> export_torchaot@${s}`,
      `generate_mels@${s} -> train_hifigan@${s}`,
      `train_hifigan@${s} -> infer_and_compare@${s}`, `train_hifigan@${s} -> export_onnx@${s}`, `train_hifigan@${s} -> export_torchaot@${s}`,
      `export_onnx@${s} -> infer_onnx@${s}`,
    ]).sort(),
  };
  // 18: one stage per dataset and algorithm (ml20m without UU), each writing the JSON `collect` reads.
  const runs = ['ml100k', 'ml1m', 'ml10m', 'ml20m'].flatMap((ds) =>
    ['ALS', 'IALS', 'II', 'UU', 'impBPR'].filter((algo) => !(ds === 'ml20m' && algo === 'UU')).map((algo) => `${ds}-${algo}`));
  fixtures['18-lenskit__lk-perf-monitor'] = { stages: ['collect', ...runs].sort(), edges: runs.map((r) => `${r} -> collect`).sort() };
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
  // 16: per dataset, a split, its group relevance, and for each algorithm train → measure,
  // group relevance and pairwise (which reads every model of the dataset). `aggregate` reads
  // eval/…-metrics.json, which no stage writes (they write eval5/…).
  const algorithms16: Record<string, string[]> = {
    AZ: ['user-user', 'item-item', 'als', 'user-user-imp', 'item-item-imp', 'wrls-imp', 'bpr-imp'],
    'BX-E': ['user-user', 'item-item', 'als'],
    'BX-I': ['user-user', 'item-item', 'wrls', 'bpr'],
    'GR-E': ['user-user', 'item-item'],
    'GR-I': ['user-user', 'item-item', 'wrls', 'bpr'],
  };
  const stages16 = ['aggregate'];
  const edges16: string[] = [];
  for (const [ds, algos] of Object.entries(algorithms16)) {
    stages16.push(`eval-split-${ds}`, `group-rel-${ds}`);
    edges16.push(`eval-split-${ds} -> group-rel-${ds}`);
    for (const algo of algos) {
      const [train, measure, rel, pair] = [`eval-train-${ds}-${algo}`, `measure-${ds}-${algo}`, `${ds}-${algo}-group-rel`, `${ds}-${algo}-pairwise`];
      stages16.push(train, measure, rel, pair);
      edges16.push(`eval-split-${ds} -> ${train}`, `eval-split-${ds} -> ${measure}`, `${train} -> ${measure}`,
        `eval-split-${ds} -> ${rel}`, `${train} -> ${rel}`, ...algos.map((other) => `eval-train-${ds}-${other} -> ${pair}`));
    }
  }
  fixtures['16-BoiseState__rank-fairness-metrics'] = { stages: stages16.sort(), edges: edges16.sort() };
  // 08: a fixed chain, then train / evaluate / update_registry for each of the 11 features that
  // params.yaml lists as a mapping (so the stages are named by key).
  const features8 = ['VIBRATION_1', 'VIBRATION_2', 'DRIVE_POWER', 'LOAD_POWER', 'CHARGE_MECH_POWER', 'CHARGE_HYD_POWER',
    'SERVO_MECH_POWER', 'SERVO_HYD_POWER', 'SCAVENGE_POWER', 'MAIN_COOLER_POWER', 'GEARBOX_COOLER_POWER'];
  fixtures['08-ivanokhotnikov__test_rig_local_training'] = {
    stages: ['read_raw_data', 'preprocess', 'split', 'scale_train', 'scale_test',
      ...features8.flatMap((f) => [`train@${f}`, `evaluate@${f}`, `update_registry@${f}`])].sort(),
    edges: ['read_raw_data -> preprocess', 'preprocess -> split', 'split -> scale_train', 'split -> scale_test', 'scale_train -> scale_test',
      ...features8.flatMap((f) => [`scale_train -> train@${f}`, `scale_test -> evaluate@${f}`, `train@${f} -> evaluate@${f}`, `evaluate@${f} -> update_registry@${f}`]),
    ].sort(),
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
  // 19: 101 stages, paths templated from a large params.yaml. Derived by a separate reading of the
  // file (a short Python script with PyYAML: substitute the ${...} references, expand foreach,
  // apply DVC's dep-in-out rule; backslashes, written on Windows, taken
  // as separators, as DVC on Windows takes them), not by pipewright.
  fixtures['19-DSSGxUK__s22_buckinghamshire'] = {
    stages: ["cv_optimization_and_cv_lgbm1_single", "cv_optimization_and_cv_lgbm1_single_basic", "cv_optimization_and_cv_lgbm2_single", "generate_modeling_annotate_attendance_data", "generate_modeling_annotate_ccis_data", "generate_modeling_annotate_census_data", "generate_modeling_annotate_ks2_data", "generate_modeling_annotate_ks4_data", "generate_modeling_attendance_exact", "generate_modeling_attendance_normed", "generate_modeling_attendance_percent1", "generate_modeling_attendance_percent2", "generate_modeling_canonicalize_data@0", "generate_modeling_canonicalize_data@1", "generate_modeling_canonicalize_data@10", "generate_modeling_canonicalize_data@11", "generate_modeling_canonicalize_data@12", "generate_modeling_canonicalize_data@13", "generate_modeling_canonicalize_data@14", "generate_modeling_canonicalize_data@15", "generate_modeling_canonicalize_data@16", "generate_modeling_canonicalize_data@17", "generate_modeling_canonicalize_data@18", "generate_modeling_canonicalize_data@19", "generate_modeling_canonicalize_data@2", "generate_modeling_canonicalize_data@20", "generate_modeling_canonicalize_data@21", "generate_modeling_canonicalize_data@22", "generate_modeling_canonicalize_data@23", "generate_modeling_canonicalize_data@24", "generate_modeling_canonicalize_data@25", "generate_modeling_canonicalize_data@26", "generate_modeling_canonicalize_data@27", "generate_modeling_canonicalize_data@28", "generate_modeling_canonicalize_data@29", "generate_modeling_canonicalize_data@3", "generate_modeling_canonicalize_data@30", "generate_modeling_canonicalize_data@31", "generate_modeling_canonicalize_data@32", "generate_modeling_canonicalize_data@33", "generate_modeling_canonicalize_data@34", "generate_modeling_canonicalize_data@35", "generate_modeling_canonicalize_data@36", "generate_modeling_canonicalize_data@37", "generate_modeling_canonicalize_data@38", "generate_modeling_canonicalize_data@39", "generate_modeling_canonicalize_data@4", "generate_modeling_canonicalize_data@40", "generate_modeling_canonicalize_data@41", "generate_modeling_canonicalize_data@42", "generate_modeling_canonicalize_data@43", "generate_modeling_canonicalize_data@5", "generate_modeling_canonicalize_data@6", "generate_modeling_canonicalize_data@7", "generate_modeling_canonicalize_data@8", "generate_modeling_canonicalize_data@9", "generate_modeling_ccis_premerge", "generate_modeling_census_premerge", "generate_modeling_feature_selection_multi", "generate_modeling_feature_selection_single", "generate_modeling_feature_selection_single_basic", "generate_modeling_ks2_filter", "generate_modeling_merge_attendance_data", "generate_modeling_merge_ccis_data", "generate_modeling_merge_census_data", "generate_modeling_merge_ks2_data", "generate_modeling_merge_ks4_data", "generate_modeling_merge_multi_modeling", "generate_modeling_merge_multi_modeling_basic", "generate_modeling_multi_categorical_basic_modeling", "generate_modeling_multi_categorical_modeling", "generate_modeling_multi_to_single", "generate_modeling_multi_to_single_basic", "generate_modeling_split_data_multiple", "generate_modeling_split_data_single", "generate_modeling_split_data_single_basic", "model_evaluation_retrain_model_single", "model_evaluation_retrain_model_single__basic", "model_evaluation_roni_model", "model_evaluation_roni_model_basic", "model_evaluation_test_model_single", "model_evaluation_test_model_single_basic", "prediction_additional_data", "prediction_annotate_characteristics_data", "prediction_characteristics_premerge", "prediction_feature_selection_predict_multi", "prediction_feature_selection_predict_single", "prediction_feature_selection_predict_single_basic", "prediction_feature_selection_unknowns_single", "prediction_merge_chars_data", "prediction_merge_multi_prediction", "prediction_merge_multi_unknowns", "prediction_merge_outputs_predict", "prediction_merge_outputs_unidentified", "prediction_multi_categorical_predictions", "prediction_multi_categorical_unknowns", "prediction_multi_to_single_predictions", "prediction_multi_to_single_unknowns", "prediction_predict_single", "prediction_predict_single_basic", "prediction_predict_unknowns_single"],
    edges: ["cv_optimization_and_cv_lgbm1_single -> model_evaluation_retrain_model_single", "cv_optimization_and_cv_lgbm1_single_basic -> model_evaluation_retrain_model_single__basic", "cv_optimization_and_cv_lgbm2_single -> model_evaluation_retrain_model_single", "generate_modeling_annotate_attendance_data -> generate_modeling_attendance_exact", "generate_modeling_annotate_attendance_data -> generate_modeling_attendance_normed", "generate_modeling_annotate_attendance_data -> generate_modeling_attendance_percent1", "generate_modeling_annotate_attendance_data -> generate_modeling_attendance_percent2", "generate_modeling_annotate_attendance_data -> prediction_additional_data", "generate_modeling_annotate_ccis_data -> generate_modeling_ccis_premerge", "generate_modeling_annotate_census_data -> generate_modeling_census_premerge", "generate_modeling_annotate_census_data -> prediction_additional_data", "generate_modeling_annotate_ks2_data -> generate_modeling_ks2_filter", "generate_modeling_annotate_ks4_data -> generate_modeling_ks2_filter", "generate_modeling_attendance_percent1 -> generate_modeling_merge_multi_modeling", "generate_modeling_attendance_percent1 -> generate_modeling_merge_multi_modeling_basic", "generate_modeling_attendance_percent1 -> prediction_merge_multi_prediction", "generate_modeling_attendance_percent1 -> prediction_merge_multi_unknowns", "generate_modeling_canonicalize_data@0 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@1 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@10 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@11 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@12 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@13 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@14 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@15 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@16 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@17 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@18 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@19 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@2 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@20 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@21 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@22 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@23 -> generate_modeling_merge_census_data", "generate_modeling_canonicalize_data@24 -> generate_modeling_merge_census_data", "generate_modeling_canonicalize_data@25 -> generate_modeling_merge_census_data", "generate_modeling_canonicalize_data@26 -> generate_modeling_merge_census_data", "generate_modeling_canonicalize_data@27 -> generate_modeling_merge_census_data", "generate_modeling_canonicalize_data@28 -> generate_modeling_merge_census_data", "generate_modeling_canonicalize_data@29 -> generate_modeling_merge_ccis_data", "generate_modeling_canonicalize_data@3 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@30 -> generate_modeling_merge_ccis_data", "generate_modeling_canonicalize_data@31 -> generate_modeling_merge_ccis_data", "generate_modeling_canonicalize_data@32 -> generate_modeling_merge_ccis_data", "generate_modeling_canonicalize_data@33 -> generate_modeling_merge_ccis_data", "generate_modeling_canonicalize_data@34 -> generate_modeling_merge_ccis_data", "generate_modeling_canonicalize_data@35 -> generate_modeling_merge_ccis_data", "generate_modeling_canonicalize_data@36 -> generate_modeling_merge_ks4_data", "generate_modeling_canonicalize_data@37 -> generate_modeling_merge_ks4_data", "generate_modeling_canonicalize_data@38 -> generate_modeling_merge_ks4_data", "generate_modeling_canonicalize_data@39 -> generate_modeling_merge_ks4_data", "generate_modeling_canonicalize_data@4 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@40 -> generate_modeling_merge_ks4_data", "generate_modeling_canonicalize_data@41 -> generate_modeling_annotate_attendance_data", "generate_modeling_canonicalize_data@41 -> generate_modeling_annotate_ccis_data", "generate_modeling_canonicalize_data@41 -> generate_modeling_annotate_census_data", "generate_modeling_canonicalize_data@41 -> generate_modeling_annotate_ks2_data", "generate_modeling_canonicalize_data@41 -> generate_modeling_annotate_ks4_data", "generate_modeling_canonicalize_data@41 -> prediction_annotate_characteristics_data", "generate_modeling_canonicalize_data@42 -> generate_modeling_merge_ks2_data", "generate_modeling_canonicalize_data@43 -> prediction_merge_chars_data", "generate_modeling_canonicalize_data@5 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@6 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@7 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@8 -> generate_modeling_merge_attendance_data", "generate_modeling_canonicalize_data@9 -> generate_modeling_merge_attendance_data", "generate_modeling_ccis_premerge -> generate_modeling_merge_multi_modeling", "generate_modeling_ccis_premerge -> generate_modeling_merge_multi_modeling_basic", "generate_modeling_ccis_premerge -> prediction_merge_multi_prediction", "generate_modeling_ccis_premerge -> prediction_merge_multi_unknowns", "generate_modeling_census_premerge -> generate_modeling_merge_multi_modeling", "generate_modeling_census_premerge -> generate_modeling_merge_multi_modeling_basic", "generate_modeling_census_premerge -> prediction_merge_multi_prediction", "generate_modeling_census_premerge -> prediction_merge_multi_unknowns", "generate_modeling_feature_selection_multi -> generate_modeling_split_data_multiple", "generate_modeling_feature_selection_single -> generate_modeling_split_data_single", "generate_modeling_feature_selection_single_basic -> generate_modeling_split_data_single_basic", "generate_modeling_ks2_filter -> generate_modeling_merge_multi_modeling", "generate_modeling_ks2_filter -> generate_modeling_merge_multi_modeling_basic", "generate_modeling_ks2_filter -> prediction_merge_multi_prediction", "generate_modeling_ks2_filter -> prediction_merge_multi_unknowns", "generate_modeling_merge_attendance_data -> generate_modeling_annotate_attendance_data", "generate_modeling_merge_ccis_data -> generate_modeling_annotate_ccis_data", "generate_modeling_merge_census_data -> generate_modeling_annotate_census_data", "generate_modeling_merge_ks2_data -> generate_modeling_annotate_ks2_data", "generate_modeling_merge_ks4_data -> generate_modeling_annotate_ks4_data", "generate_modeling_merge_multi_modeling -> generate_modeling_multi_categorical_modeling", "generate_modeling_merge_multi_modeling_basic -> generate_modeling_multi_categorical_basic_modeling", "generate_modeling_multi_categorical_basic_modeling -> generate_modeling_multi_to_single_basic", "generate_modeling_multi_categorical_modeling -> generate_modeling_feature_selection_multi", "generate_modeling_multi_categorical_modeling -> generate_modeling_multi_to_single", "generate_modeling_multi_to_single -> generate_modeling_feature_selection_single", "generate_modeling_multi_to_single_basic -> generate_modeling_feature_selection_single_basic", "generate_modeling_split_data_multiple -> prediction_feature_selection_predict_multi", "generate_modeling_split_data_single -> cv_optimization_and_cv_lgbm1_single", "generate_modeling_split_data_single -> cv_optimization_and_cv_lgbm2_single", "generate_modeling_split_data_single -> model_evaluation_retrain_model_single", "generate_modeling_split_data_single -> model_evaluation_roni_model", "generate_modeling_split_data_single -> model_evaluation_test_model_single", "generate_modeling_split_data_single -> prediction_feature_selection_predict_single", "generate_modeling_split_data_single -> prediction_feature_selection_unknowns_single", "generate_modeling_split_data_single_basic -> cv_optimization_and_cv_lgbm1_single_basic", "generate_modeling_split_data_single_basic -> model_evaluation_retrain_model_single__basic", "generate_modeling_split_data_single_basic -> model_evaluation_roni_model_basic", "generate_modeling_split_data_single_basic -> model_evaluation_test_model_single_basic", "generate_modeling_split_data_single_basic -> prediction_feature_selection_predict_single_basic", "model_evaluation_retrain_model_single -> model_evaluation_test_model_single", "model_evaluation_retrain_model_single__basic -> model_evaluation_test_model_single_basic", "model_evaluation_roni_model -> prediction_predict_single", "model_evaluation_roni_model -> prediction_predict_unknowns_single", "model_evaluation_roni_model_basic -> prediction_predict_single_basic", "model_evaluation_test_model_single -> prediction_predict_single", "model_evaluation_test_model_single -> prediction_predict_unknowns_single", "model_evaluation_test_model_single_basic -> prediction_predict_single_basic", "prediction_additional_data -> prediction_feature_selection_predict_multi", "prediction_additional_data -> prediction_feature_selection_predict_single", "prediction_additional_data -> prediction_feature_selection_predict_single_basic", "prediction_additional_data -> prediction_feature_selection_unknowns_single", "prediction_additional_data -> prediction_predict_single", "prediction_additional_data -> prediction_predict_single_basic", "prediction_additional_data -> prediction_predict_unknowns_single", "prediction_annotate_characteristics_data -> prediction_characteristics_premerge", "prediction_characteristics_premerge -> prediction_merge_multi_prediction", "prediction_feature_selection_predict_single -> prediction_merge_outputs_unidentified", "prediction_feature_selection_predict_single -> prediction_predict_single", "prediction_feature_selection_predict_single_basic -> prediction_merge_outputs_unidentified", "prediction_feature_selection_predict_single_basic -> prediction_predict_single_basic", "prediction_feature_selection_unknowns_single -> prediction_predict_unknowns_single", "prediction_merge_chars_data -> prediction_annotate_characteristics_data", "prediction_merge_multi_prediction -> prediction_multi_categorical_predictions", "prediction_merge_multi_unknowns -> prediction_multi_categorical_unknowns", "prediction_multi_categorical_predictions -> prediction_feature_selection_predict_multi", "prediction_multi_categorical_predictions -> prediction_multi_to_single_predictions", "prediction_multi_categorical_unknowns -> prediction_multi_to_single_unknowns", "prediction_multi_to_single_predictions -> prediction_feature_selection_predict_single", "prediction_multi_to_single_predictions -> prediction_feature_selection_predict_single_basic", "prediction_multi_to_single_unknowns -> prediction_feature_selection_unknowns_single", "prediction_predict_single -> prediction_merge_outputs_predict", "prediction_predict_single_basic -> prediction_merge_outputs_predict"],
  };
  for (const [dir, expected] of Object.entries(fixtures)) {
    it(`${dir}: stages and edges`, () => assert.deepEqual(edgesOf(dir), expected));
  }

  it('every file that loads has its stages and edges written down', () => {
    const withFixtures = new Set([...Object.keys(fixtures), '07-iterative__example-get-started', '12-jofa974__nlp-tweets']);
    assert.deepEqual(manifest.map((m) => m.dir).filter((dir) => !FAILS[dir] && !withFixtures.has(dir)), []);
  });

  it('07 example-get-started: stages and edges', () => {
    assert.deepEqual(edgesOf('07-iterative__example-get-started'), {
      stages: ['evaluate', 'featurize', 'prepare', 'train'],
      edges: ['featurize -> evaluate', 'featurize -> train', 'prepare -> featurize', 'train -> evaluate'],
    });
  });

  it('12 nlp-tweets: foreach over scalars (named by value) and over mappings (named by index)', () => {
    const prep = ['SKCountVectorizer', 'TFTokenizer', 'SKTfidfVectorizer', 'GloVeVectorizer'];
    const trainPrep = ['SKCountVectorizer', 'TFTokenizer', 'GloVeVectorizer', 'SKTfidfVectorizer'];
    const idx = [0, 1, 2, 3];
    const { stages, edges } = edgesOf('12-jofa974__nlp-tweets');
    assert.deepEqual(stages, [
      'compare', 'fetch_data', ...idx.map((i) => `predict@${i}`), ...prep.map((p) => `prepare_data@${p}`).sort(),
      ...idx.map((i) => `test@${i}`), ...idx.map((i) => `train@${i}`),
    ].sort());
    const expected = [
      ...prep.map((p) => `fetch_data -> prepare_data@${p}`),
      ...idx.map((i) => `prepare_data@${trainPrep[i]} -> train@${i}`),
      ...idx.map((i) => `train@${i} -> test@${i}`),
      ...idx.flatMap((i) => [`fetch_data -> predict@${i}`, `test@${i} -> predict@${i}`, `train@${i} -> predict@${i}`]),
      ...idx.flatMap((i) => [`train@${i} -> compare`, `test@${i} -> compare`, `predict@${i} -> compare`]),
    ].sort();
    assert.deepEqual(edges, expected);
  });
});
