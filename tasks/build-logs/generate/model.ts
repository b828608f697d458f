// The world the build-logs generator draws from: families of pipelines, their components and owning
// teams, the CI steps of each toolchain, and the runners (hosted ones on UTC, self-hosted ones on
// local clocks). Everything here is fictional (the "acme" organisation).

import type { Category } from '../params.js';

export type Eco = 'node' | 'python' | 'maven' | 'gradle' | 'cpp' | 'rust' | 'go' | 'docker';

export type StepKind =
  | 'checkout'
  | 'setup'
  | 'cache'
  | 'install'
  | 'lint'
  | 'typecheck'
  | 'build'
  | 'test'
  | 'integration'
  | 'docker-build'
  | 'scan'
  | 'push'
  | 'deploy'
  | 'smoke'
  | 'upload'
  | 'login';

export interface StepDef {
  id: string;
  name: string;
  kind: StepKind;
}

export interface Component {
  name: string;
  team: string;
  eco: Eco;
  /** For release pipelines: the toolchain inside the image. */
  inner?: Exclude<Eco, 'docker'>;
}

export interface FamilySpec {
  id: string;
  title: string;
  description: string;
  /** Short name used in task titles. */
  short: string;
  components: Component[];
  jobs: string[];
  weights: Partial<Record<Category, number>>;
  logs: number;
  /** Tasks: batch sizes. */
  batches: number[];
}

const s = (id: string, name: string, kind: StepKind): StepDef => ({ id, name, kind });

export const PIPELINES: Record<Eco, StepDef[]> = {
  node: [
    s('checkout', 'Check out repository', 'checkout'),
    s('setup-node', 'Set up Node.js 20', 'setup'),
    s('restore-cache', 'Restore npm cache', 'cache'),
    s('install', 'Install dependencies (npm ci)', 'install'),
    s('lint', 'Lint (eslint)', 'lint'),
    s('typecheck', 'Type-check (tsc --noEmit)', 'typecheck'),
    s('unit-tests', 'Run unit tests (jest)', 'test'),
    s('build', 'Build production bundle (vite)', 'build'),
    s('upload-artifacts', 'Upload build artifacts', 'upload'),
  ],
  python: [
    s('checkout', 'Check out repository', 'checkout'),
    s('setup-python', 'Set up Python 3.12', 'setup'),
    s('install', 'Install dependencies (pip)', 'install'),
    s('lint', 'Lint (ruff)', 'lint'),
    s('typecheck', 'Type-check (mypy)', 'typecheck'),
    s('unit-tests', 'Run unit tests (pytest)', 'test'),
    s('integration-tests', 'Integration tests (pytest, postgres service)', 'integration'),
    s('build-wheel', 'Build wheel', 'upload'),
  ],
  maven: [
    s('checkout', 'Check out repository', 'checkout'),
    s('setup-java', 'Set up JDK 21 (temurin)', 'setup'),
    s('resolve', 'Resolve dependencies (mvn dependency:go-offline)', 'install'),
    s('compile', 'Compile (mvn compile)', 'build'),
    s('checkstyle', 'Checkstyle', 'lint'),
    s('unit-tests', 'Unit tests (surefire)', 'test'),
    s('integration-tests', 'Integration tests (failsafe, testcontainers)', 'integration'),
    s('publish', 'Publish to Nexus', 'upload'),
  ],
  gradle: [
    s('checkout', 'Check out repository', 'checkout'),
    s('setup-java', 'Set up JDK 21 (temurin)', 'setup'),
    s('resolve', 'Resolve dependencies (gradle dependencies)', 'install'),
    s('compile', 'Compile (gradle compileJava)', 'build'),
    s('checkstyle', 'Checkstyle (gradle checkstyleMain)', 'lint'),
    s('unit-tests', 'Unit tests (gradle test)', 'test'),
    s('integration-tests', 'Integration tests (gradle integrationTest)', 'integration'),
    s('publish', 'Publish to Nexus', 'upload'),
  ],
  cpp: [
    s('checkout', 'Check out repository', 'checkout'),
    s('setup-toolchain', 'Set up toolchain (gcc 13, cmake 3.28, ninja)', 'setup'),
    s('fetch-deps', 'Fetch dependencies (conan install)', 'install'),
    s('clang-tidy', 'Static analysis (clang-tidy)', 'lint'),
    s('build', 'Build (cmake --build)', 'build'),
    s('unit-tests', 'Run tests (ctest)', 'test'),
    s('package', 'Package (cpack)', 'upload'),
  ],
  rust: [
    s('checkout', 'Check out repository', 'checkout'),
    s('setup-toolchain', 'Install Rust 1.82 (rustup)', 'setup'),
    s('fetch-deps', 'Fetch crates (cargo fetch)', 'install'),
    s('clippy', 'Lint (cargo clippy)', 'lint'),
    s('build', 'Build (cargo build --release)', 'build'),
    s('unit-tests', 'Run tests (cargo test)', 'test'),
    s('package', 'Package release archive', 'upload'),
  ],
  go: [
    s('checkout', 'Check out repository', 'checkout'),
    s('setup-toolchain', 'Set up Go 1.23', 'setup'),
    s('fetch-deps', 'Download modules (go mod download)', 'install'),
    s('vet', 'Vet (go vet, staticcheck)', 'lint'),
    s('build', 'Build (go build ./...)', 'build'),
    s('unit-tests', 'Run tests (gotestsum)', 'test'),
    s('package', 'Package binaries (goreleaser snapshot)', 'upload'),
  ],
  docker: [
    s('checkout', 'Check out repository', 'checkout'),
    s('registry-login', 'Log in to registry', 'login'),
    s('docker-build', 'Build image (docker buildx)', 'docker-build'),
    s('integration-tests', 'Integration tests (docker compose)', 'integration'),
    s('scan', 'Vulnerability scan (trivy)', 'scan'),
    s('push-image', 'Push image', 'push'),
    s('deploy-staging', 'Deploy to staging (helm upgrade)', 'deploy'),
    s('smoke-tests', 'Smoke tests (staging)', 'smoke'),
  ],
};

export interface Runner {
  name: string;
  /** e.g. "UTC" or "Europe/Berlin (UTC+01:00)" (March 2025 offsets). */
  clock: string;
  offsetMinutes: number;
  spec: string;
}

export const RUNNERS: Runner[] = [
  { name: 'gh-hosted ubuntu-22.04 #114', clock: 'UTC', offsetMinutes: 0, spec: '4 cpu, 16 GB' },
  { name: 'gh-hosted ubuntu-24.04 #207', clock: 'UTC', offsetMinutes: 0, spec: '4 cpu, 16 GB' },
  { name: 'gh-hosted ubuntu-22.04-8core #31', clock: 'UTC', offsetMinutes: 0, spec: '8 cpu, 32 GB' },
  { name: 'ber-selfhosted-07', clock: 'Europe/Berlin (UTC+01:00)', offsetMinutes: 60, spec: '8 cpu, 16 GB' },
  { name: 'ber-selfhosted-11', clock: 'Europe/Berlin (UTC+01:00)', offsetMinutes: 60, spec: '16 cpu, 64 GB' },
  { name: 'chi-build-12', clock: 'America/Chicago (UTC-05:00)', offsetMinutes: -300, spec: '8 cpu, 32 GB' },
  { name: 'blr-ci-03', clock: 'Asia/Kolkata (UTC+05:30)', offsetMinutes: 330, spec: '16 cpu, 32 GB' },
];

/** A component and its owning team; `inner` is the toolchain inside a release pipeline's image. */
const c = (name: string, team: string, eco: Eco, inner?: Exclude<Eco, 'docker'>): Component => ({
  name,
  team,
  eco,
  ...(inner ? { inner } : {}),
});

/** The service families' size: 56 logs dealt into six batches of 10 to 20 (release pipelines have more, in larger batches). */
const SERVICE_FAMILY_SIZE = { logs: 56, batches: [10, 12, 12, 14, 16, 20] };

export const FAMILIES: FamilySpec[] = [
  {
    id: 'frontend-web',
    title: 'Frontend web apps',
    short: 'frontend',
    description: 'Node.js and TypeScript web apps: npm installs, eslint, tsc, jest and vite builds.',
    components: [
      c('storefront-web', '@storefront', 'node'),
      c('checkout-ui', '@checkout', 'node'),
      c('design-system', '@design-systems', 'node'),
      c('admin-portal', '@backoffice', 'node'),
      c('mobile-web', '@mobile', 'node'),
      c('docs-site', '@devrel', 'node'),
    ],
    jobs: ['build-and-test', 'ci', 'verify'],
    weights: { compile: 15, lint: 7, test: 18, flaky: 12, oom: 12, dependency: 16, network: 8, disk: 6, timeout: 7 },
    ...SERVICE_FAMILY_SIZE,
  },
  {
    id: 'python-services',
    title: 'Python services',
    short: 'python',
    description: 'Python APIs and workers: pip installs, ruff, mypy, pytest with a postgres service.',
    components: [
      c('orders-api', '@orders', 'python'),
      c('billing-worker', '@billing', 'python'),
      c('ml-features', '@ml-platform', 'python'),
      c('notifications', '@messaging', 'python'),
      c('search-indexer', '@search', 'python'),
      c('auth-service', '@identity', 'python'),
    ],
    jobs: ['test', 'ci', 'build-and-test'],
    weights: { compile: 9, lint: 7, test: 20, flaky: 12, oom: 11, dependency: 12, network: 10, disk: 8, timeout: 11 },
    ...SERVICE_FAMILY_SIZE,
  },
  {
    id: 'jvm-services',
    title: 'JVM services',
    short: 'JVM',
    description: 'Java services built with Maven and Gradle: dependency resolution, javac, checkstyle, surefire and failsafe.',
    components: [
      c('payments-gateway', '@payments', 'maven'),
      c('ledger-service', '@ledger', 'maven'),
      c('inventory-service', '@supply-chain', 'gradle'),
      c('pricing-engine', '@pricing', 'gradle'),
      c('kafka-connectors', '@data-platform', 'maven'),
      c('partner-api', '@partners', 'gradle'),
    ],
    jobs: ['build', 'verify', 'ci'],
    weights: { compile: 15, lint: 6, test: 18, flaky: 12, oom: 13, dependency: 13, network: 10, disk: 6, timeout: 7 },
    ...SERVICE_FAMILY_SIZE,
  },
  {
    id: 'native-toolchains',
    title: 'Native toolchains',
    short: 'native',
    description: 'C++ (CMake, conan), Rust (cargo) and Go components: compilers, linkers, static analysis and test runners.',
    components: [
      c('video-codec', '@media', 'cpp'),
      c('db-driver', '@storage', 'cpp'),
      c('edge-proxy', '@edge', 'rust'),
      c('wasm-runtime', '@runtime', 'rust'),
      c('telemetry-agent', '@observability', 'go'),
      c('cli-tools', '@developer-tools', 'go'),
    ],
    jobs: ['build', 'ci', 'build-and-test'],
    weights: { compile: 22, lint: 7, test: 18, flaky: 6, oom: 11, dependency: 10, network: 10, disk: 9, timeout: 7 },
    ...SERVICE_FAMILY_SIZE,
  },
  {
    id: 'release-pipelines',
    title: 'Release pipelines',
    short: 'release',
    description: 'Image builds, integration tests in docker compose, scans, pushes and staging deploys: the largest batches.',
    components: [
      c('storefront-web', '@storefront', 'docker', 'node'),
      c('checkout-ui', '@checkout', 'docker', 'node'),
      c('orders-api', '@orders', 'docker', 'python'),
      c('billing-worker', '@billing', 'docker', 'python'),
      c('payments-gateway', '@payments', 'docker', 'maven'),
      c('edge-proxy', '@edge', 'docker', 'rust'),
      c('telemetry-agent', '@observability', 'docker', 'go'),
    ],
    jobs: ['release', 'deploy-staging', 'publish-image'],
    weights: { compile: 10, test: 14, flaky: 9, oom: 10, dependency: 12, network: 16, disk: 13, timeout: 10 },
    logs: 96,
    batches: [20, 24, 28, 32, 36, 40],
  },
];
