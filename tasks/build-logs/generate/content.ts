// What the generator writes inside a step: the routine output of a passing step (with endless
// "filler" of the same kind, for realistic lengths) and the failure blocks of each root-cause
// category per toolchain. Lines that state the root cause are marked as evidence; a cascade's
// misleading first error is marked as a decoy. Nothing here knows how the sim reads logs.

import type { Rng } from '../../../harness/core/rng.js';
import type { Category } from '../params.js';
import type { Component, Eco, StepKind } from './model.js';

export interface Entry {
  text: string;
  /** Seconds since the previous line. */
  dt: number;
  mark?: 'evidence' | 'decoy';
}

export interface Ctx {
  rng: Rng;
  comp: Component;
  /** The toolchain (the inner one for image builds). */
  eco: Exclude<Eco, 'docker'>;
  repo: string;
  sha: string;
  /** The step's id (for messages that name it). */
  stepId: string;
}

export interface Failure {
  /** Lines before the root cause (filler goes before them). */
  pre: Entry[];
  root: Entry[];
  post: Entry[];
  /** How the step ends: `failed (exit code N)` or `cancelled (timeout)`. */
  end: string;
  /** Job result line. */
  exit: string;
  rootCause: string;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

export const int = (rng: Rng, lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
const pick = <T>(rng: Rng, items: readonly T[]): T => rng.pick(items);
const e = (text: string, dt = 0): Entry => ({ text, dt });
const ev = (text: string, dt = 0): Entry => ({ text, dt, mark: 'evidence' });
const hex = (rng: Rng, n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');

const WORDS = [
  'cart',
  'order',
  'invoice',
  'refund',
  'session',
  'profile',
  'catalog',
  'search',
  'pricing',
  'coupon',
  'address',
  'shipment',
  'ledger',
  'token',
  'stream',
  'report',
  'export',
  'webhook',
  'tenant',
  'quota',
];
const VERBS = [
  'applies',
  'rejects',
  'computes',
  'renders',
  'retries',
  'persists',
  'serialises',
  'validates',
  'rounds',
  'merges',
  'expires',
  'paginates',
];
const camel = (w: string): string => w[0]!.toUpperCase() + w.slice(1);

function words(rng: Rng): [string, string] {
  return [pick(rng, WORDS), pick(rng, VERBS)];
}

const NPM_PKGS = [
  'react',
  'react-dom',
  '@tanstack/react-query',
  'zod',
  'date-fns',
  'axios',
  'vite',
  'vitest',
  '@testing-library/react',
  'eslint-plugin-react',
  'postcss',
  'tailwindcss',
  'lodash-es',
  'i18next',
  '@sentry/react',
  'msw',
  'typescript',
  'jest-environment-jsdom',
  'ts-jest',
  '@babel/core',
  'prettier',
  'clsx',
  'immer',
  'zustand',
  'recharts',
];
const PY_PKGS = [
  'fastapi',
  'pydantic',
  'sqlalchemy',
  'psycopg',
  'alembic',
  'httpx',
  'uvicorn',
  'celery',
  'redis',
  'boto3',
  'botocore',
  'numpy',
  'pandas',
  'structlog',
  'tenacity',
  'orjson',
  'pytest',
  'pytest-asyncio',
  'pytest-rerunfailures',
  'mypy',
  'ruff',
  'urllib3',
  'requests',
  'opentelemetry-sdk',
];
const MVN_ARTIFACTS = [
  'org.springframework.boot:spring-boot-starter-web',
  'com.fasterxml.jackson.core:jackson-databind',
  'org.apache.kafka:kafka-clients',
  'io.micrometer:micrometer-registry-prometheus',
  'org.flywaydb:flyway-core',
  'org.postgresql:postgresql',
  'org.junit.jupiter:junit-jupiter',
  'org.mockito:mockito-core',
  'org.testcontainers:postgresql',
  'io.grpc:grpc-netty-shaded',
  'com.google.guava:guava',
  'org.slf4j:slf4j-api',
];
const CRATES = [
  'tokio',
  'hyper',
  'serde',
  'serde_json',
  'tracing',
  'tracing-subscriber',
  'rustls',
  'bytes',
  'clap',
  'anyhow',
  'thiserror',
  'futures',
  'tower',
  'h2',
  'http',
  'regex',
  'wasmtime',
  'cranelift-codegen',
];
const GO_MODS = [
  'github.com/prometheus/client_golang',
  'go.opentelemetry.io/otel',
  'github.com/spf13/cobra',
  'google.golang.org/grpc',
  'github.com/stretchr/testify',
  'github.com/hashicorp/golang-lru/v2',
  'golang.org/x/sync',
  'github.com/rs/zerolog',
  'gopkg.in/yaml.v3',
];
const CONAN_PKGS = [
  'fmt/11.0.2',
  'spdlog/1.14.1',
  'zlib/1.3.1',
  'openssl/3.3.2',
  'gtest/1.15.0',
  'abseil/20240722.0',
  'protobuf/5.27.0',
  'libpq/15.5',
];

const ver = (rng: Rng): string => `${int(rng, 1, 9)}.${int(rng, 0, 30)}.${int(rng, 0, 12)}`;

function javaPkg(ctx: Ctx): string {
  return `com.acme.${ctx.repo.split('-')[0]}`;
}

function srcFile(ctx: Ctx, rng: Rng): string {
  const [w] = words(rng);
  switch (ctx.eco) {
    case 'node':
      return `src/${w}/${w}${pick(rng, ['Service', 'Store', 'Form', 'View', 'Utils'])}.ts${pick(rng, ['', 'x'])}`;
    case 'python':
      return `app/${pick(rng, ['routes', 'services', 'models', 'tasks'])}/${w}.py`;
    case 'maven':
    case 'gradle':
      return `src/main/java/${javaPkg(ctx).replaceAll('.', '/')}/${camel(w)}${pick(rng, ['Service', 'Controller', 'Repository', 'Mapper'])}.java`;
    case 'cpp':
      return `src/${w}/${w}_${pick(rng, ['parser', 'encoder', 'buffer', 'pool'])}.cc`;
    case 'rust':
      return `src/${w}/${pick(rng, ['mod', 'handler', 'config', 'codec'])}.rs`;
    case 'go':
      return `internal/${w}/${pick(rng, ['store', 'handler', 'client', 'cache'])}.go`;
  }
}

// ---------------------------------------------------------------------------------------------
// Passing steps: base lines and filler

export function okLines(kind: StepKind, ctx: Ctx): Entry[] {
  const { rng } = ctx;
  switch (kind) {
    case 'checkout':
      return [
        e(`Syncing repository: acme/${ctx.repo}`),
        e('git version 2.47.1'),
        e(`git -c protocol.version=2 fetch --no-tags --prune --depth=1 origin +${ctx.sha}:refs/remotes/origin/main`, 1),
        ...((objects: number) => [
          e(`remote: Enumerating objects: ${objects}, done.`, 1),
          e(
            `Receiving objects: 100% (${objects}/${objects}), ${int(rng, 2, 60)}.${int(rng, 10, 99)} MiB | ${int(rng, 20, 90)}.00 MiB/s, done.`,
            2,
          ),
        ])(int(rng, 900, 9000)),
        e(
          `HEAD is now at ${ctx.sha.slice(0, 7)} ${pick(rng, ['Merge pull request', 'Bump dependencies', 'Fix flaky selector', 'Refactor', 'Add metrics for'])} #${int(rng, 1000, 9999)}`,
        ),
      ];
    case 'setup':
      switch (ctx.eco) {
        case 'node':
          return [e('Found in cache @ /opt/hostedtoolcache/node/20.18.1/x64'), e('node --version: v20.18.1'), e('npm --version: 10.8.2')];
        case 'python':
          return [
            e('Successfully set up CPython (3.12.7)'),
            e('python -m pip install --upgrade pip', 1),
            e('Successfully installed pip-24.3.1', 3),
          ];
        case 'maven':
        case 'gradle':
          return [
            e('Java 21.0.5+11 (temurin) was found in cache'),
            e('JAVA_HOME=/opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/21.0.5-11/x64'),
            e(ctx.eco === 'maven' ? 'Apache Maven 3.9.9' : 'Welcome to Gradle 8.10.2!', 1),
          ];
        case 'cpp':
          return [e('gcc (Ubuntu 13.2.0-23ubuntu4) 13.2.0'), e('cmake version 3.28.3'), e('ninja 1.11.1'), e('conan 2.8.1', 1)];
        case 'rust':
          return [
            e('info: syncing channel updates for 1.82.0-x86_64-unknown-linux-gnu', 2),
            e('info: default toolchain set to 1.82.0-x86_64-unknown-linux-gnu', 6),
            e('rustc 1.82.0 (f6e511eec 2024-10-15)'),
          ];
        case 'go':
          return [
            e('Found in cache @ /opt/hostedtoolcache/go/1.23.4/x64'),
            e('go version go1.23.4 linux/amd64'),
            e('GOMODCACHE=/home/runner/go/pkg/mod'),
          ];
      }
      break;
    case 'cache':
      return rng.chance(0.7)
        ? [e(`Cache restored from key: npm-linux-x64-${hex(rng, 12)}`, 2), e(`Cache size: ~${int(rng, 80, 400)} MB`)]
        : [e(`Cache not found for input keys: npm-linux-x64-${hex(rng, 12)}`, 1)];
    case 'login':
      return [e('Logging in to registry.acme.internal'), e('Login Succeeded', 1)];
    case 'install':
      switch (ctx.eco) {
        case 'node':
          return [
            e('npm ci --no-audit --no-fund'),
            e('npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.', 3),
            e(`added ${int(rng, 600, 1900)} packages in ${int(rng, 14, 80)}s`, int(rng, 10, 60)),
          ];
        case 'python':
          return [
            e('pip install -r requirements.txt -r requirements-dev.txt'),
            e(
              `Successfully installed ${PY_PKGS.slice(0, 8)
                .map((p) => `${p}-${ver(rng)}`)
                .join(' ')}`,
              int(rng, 5, 30),
            ),
          ];
        case 'maven':
          return [
            e('[INFO] Scanning for projects...'),
            e(`[INFO] Building ${ctx.repo} ${ver(rng)}-SNAPSHOT`),
            e('[INFO] --- dependency:3.8.1:go-offline (default-cli) ---', 1),
            e('[INFO] BUILD SUCCESS', int(rng, 10, 60)),
          ];
        case 'gradle':
          return [e('> Task :dependencies'), e('BUILD SUCCESSFUL in 41s', int(rng, 10, 50)), e('1 actionable task: 1 executed')];
        case 'cpp':
          return [
            e('conan install . --output-folder=build --build=missing'),
            e('======== Computing dependency graph ========', 1),
            e('Install finished successfully', int(rng, 10, 60)),
          ];
        case 'rust':
          return [
            e('cargo fetch --locked'),
            e(`    Updating crates.io index`, 2),
            e(
              `  Downloaded ${int(rng, 120, 380)} crates (${int(rng, 20, 90)}.${int(rng, 0, 9)} MB) in ${int(rng, 3, 20)}.${int(rng, 10, 99)}s`,
              int(rng, 4, 20),
            ),
          ];
        case 'go':
          return [e('go mod download -x'), e('go: module cache populated', int(rng, 5, 30))];
      }
      break;
    case 'lint':
      switch (ctx.eco) {
        case 'node':
          return [e('> eslint . --max-warnings=0', 1), e('Done in 18.41s.', int(rng, 8, 30))];
        case 'python':
          return [e('ruff check .', 1), e('All checks passed!', 2)];
        case 'maven':
        case 'gradle':
          return [e('[INFO] Starting audit...'), e('Audit done.', int(rng, 5, 20)), e('[INFO] You have 0 Checkstyle violations.')];
        case 'cpp':
          return [e('run-clang-tidy -p build -quiet src/'), e(`${int(rng, 80, 300)} files checked, 0 warnings`, int(rng, 30, 120))];
        case 'rust':
          return [
            e('cargo clippy --all-targets -- -D warnings'),
            e('    Finished `dev` profile [unoptimized + debuginfo] target(s) in 48.20s', int(rng, 20, 60)),
          ];
        case 'go':
          return [e('go vet ./... && staticcheck ./...'), e('ok: no issues', int(rng, 5, 25))];
      }
      break;
    case 'typecheck':
      return ctx.eco === 'python'
        ? [e('mypy app/'), e(`Success: no issues found in ${int(rng, 80, 260)} source files`, int(rng, 10, 40))]
        : [e('> tsc --noEmit -p tsconfig.json', 1), e('Done in 23.12s.', int(rng, 10, 40))];
    case 'build':
      switch (ctx.eco) {
        case 'node':
          return [
            e('vite v5.4.11 building for production...'),
            e('transforming...'),
            e(`✓ ${int(rng, 900, 3200)} modules transformed.`, int(rng, 8, 40)),
            e(
              `dist/assets/index-${hex(rng, 8)}.js   ${int(rng, 200, 900)}.${int(rng, 10, 99)} kB │ gzip: ${int(rng, 60, 300)}.${int(rng, 10, 99)} kB`,
              1,
            ),
            e(`✓ built in ${int(rng, 9, 60)}.${int(rng, 10, 99)}s`),
          ];
        case 'maven':
          return [
            e(`[INFO] Compiling ${int(rng, 80, 500)} source files with javac [debug release 21] to target/classes`, 2),
            e('[INFO] BUILD SUCCESS', int(rng, 20, 90)),
          ];
        case 'gradle':
          return [
            e('> Task :compileJava', int(rng, 20, 60)),
            e('> Task :processResources'),
            e('> Task :classes'),
            e('BUILD SUCCESSFUL in 1m 2s', 1),
          ];
        case 'cpp':
          return [
            e('cmake --build build --parallel 8'),
            e(`[${int(rng, 150, 400)}/${int(rng, 400, 420)}] Linking CXX executable bin/${ctx.repo}`, int(rng, 60, 300)),
          ];
        case 'rust':
          return [
            e(`   Compiling ${ctx.repo} v${ver(rng)} (/home/runner/work/${ctx.repo})`, int(rng, 10, 40)),
            e('    Finished `release` profile [optimized] target(s) in 2m 41s', int(rng, 40, 160)),
          ];
        case 'go':
          return [e('go build -trimpath -o bin/ ./...', int(rng, 15, 60)), e(`built ${int(rng, 2, 6)} binaries`)];
        case 'python':
          return [
            e('python -m build --wheel'),
            e(`Successfully built ${ctx.repo.replaceAll('-', '_')}-${ver(rng)}-py3-none-any.whl`, int(rng, 5, 20)),
          ];
      }
      break;
    case 'test':
    case 'integration':
      return testHeader(ctx, kind);
    case 'docker-build':
      return [
        e(
          'docker buildx build --platform linux/amd64 --cache-from type=registry,ref=registry.acme.internal/cache . -t registry.acme.internal/' +
            ctx.repo +
            ':' +
            ctx.sha.slice(0, 7),
        ),
        e('#1 [internal] load build definition from Dockerfile', 1),
        e('#1 DONE 0.0s'),
        e(`#14 exporting to image`, int(rng, 40, 200)),
        e(`#14 naming to registry.acme.internal/${ctx.repo}:${ctx.sha.slice(0, 7)} done`, 1),
        e('#14 DONE 4.1s', 3),
      ];
    case 'scan':
      return [
        e(`trivy image --severity HIGH,CRITICAL --exit-code 1 registry.acme.internal/${ctx.repo}:${ctx.sha.slice(0, 7)}`),
        e('INFO Vulnerability scanning is enabled', 1),
        e(`registry.acme.internal/${ctx.repo}:${ctx.sha.slice(0, 7)} (debian 12.8)`, int(rng, 5, 25)),
        e('Total: 0 (HIGH: 0, CRITICAL: 0)'),
      ];
    case 'push':
      return [
        e(`The push refers to repository [registry.acme.internal/${ctx.repo}]`),
        e(`${hex(rng, 12)}: Pushed`, int(rng, 2, 20)),
        e(`${ctx.sha.slice(0, 7)}: digest: sha256:${hex(rng, 64)} size: ${int(rng, 1200, 3000)}`, 1),
      ];
    case 'deploy':
      return [
        e(`helm upgrade --install ${ctx.repo} charts/${ctx.repo} --namespace staging --wait --timeout 10m`),
        e(`Release "${ctx.repo}" has been upgraded. Happy Helming!`, int(rng, 30, 200)),
        e('STATUS: deployed'),
        e(`REVISION: ${int(rng, 20, 400)}`),
      ];
    case 'smoke':
      return [
        e(`GET https://staging.acme.internal/${ctx.repo}/healthz -> 200 (${int(rng, 20, 90)} ms)`, 2),
        e(`GET https://staging.acme.internal/${ctx.repo}/version -> 200 (${int(rng, 20, 90)} ms)`, 1),
        e('smoke tests: 6 passed', 1),
      ];
    case 'upload':
      return [
        e(`Uploading ${int(rng, 3, 60)} files`, 1),
        e(`Artifact ${ctx.repo}-${ctx.sha.slice(0, 7)} uploaded (${int(rng, 100, 9000)} KB)`, int(rng, 2, 15)),
      ];
  }
  return [];
}

function testHeader(ctx: Ctx, kind: StepKind): Entry[] {
  const { rng } = ctx;
  const lines: Entry[] = [];
  if (kind === 'integration') {
    lines.push(
      e(
        pick(rng, [
          'Starting service container postgres:16-alpine',
          'Creating network "ci_default" with the default driver',
          'Starting testcontainers: postgres:16-alpine, redis:7-alpine',
        ]),
        2,
      ),
    );
    lines.push(e('service postgres is healthy', int(rng, 4, 15)));
  }
  switch (ctx.eco) {
    case 'node':
      lines.push(e(`> jest --ci --maxWorkers=${pick(rng, [2, 4, '50%'])}`));
      break;
    case 'python':
      lines.push(
        e('============================= test session starts =============================='),
        e('platform linux -- Python 3.12.7, pytest-8.3.3, pluggy-1.5.0'),
        e(`collected ${int(rng, 120, 900)} items`, 2),
      );
      break;
    case 'maven':
      lines.push(
        e('[INFO] -------------------------------------------------------'),
        e('[INFO]  T E S T S'),
        e('[INFO] -------------------------------------------------------'),
      );
      break;
    case 'gradle':
      lines.push(e(kind === 'integration' ? '> Task :integrationTest' : '> Task :test', 2));
      break;
    case 'cpp':
      lines.push(e('ctest --test-dir build --output-on-failure -j8'), e(`Test project /home/runner/work/${ctx.repo}/build`));
      break;
    case 'rust':
      lines.push(
        e('cargo nextest run --retries 2'),
        e(`    Starting ${int(rng, 80, 600)} tests across ${int(rng, 3, 12)} binaries`, int(rng, 10, 40)),
      );
      break;
    case 'go':
      lines.push(e('gotestsum --rerun-fails --packages ./... -- -race'));
      break;
  }
  return lines;
}

/** One more line of routine output for a step of this kind (filler for realistic lengths). */
export function fillerLine(kind: StepKind, ctx: Ctx, rng: Rng, i: number): Entry {
  switch (kind) {
    case 'checkout':
      return e(`remote: Compressing objects: ${Math.min(100, 10 + i * 7)}% (${i * 37}/${i * 41}), done.`);
    case 'install':
      switch (ctx.eco) {
        case 'node':
          return e(
            `npm http fetch GET 200 https://registry.npmjs.org/${pick(rng, NPM_PKGS)} ${int(rng, 4, 300)}ms (cache ${pick(rng, ['hit', 'revalidated', 'miss'])})`,
            rng.int(2),
          );
        case 'python': {
          const p = pick(rng, PY_PKGS);
          return rng.chance(0.5)
            ? e(`Collecting ${p}==${ver(rng)}`, rng.int(2))
            : e(`  Downloading ${p}-${ver(rng)}-py3-none-any.whl (${int(rng, 10, 900)} kB)`);
        }
        case 'maven':
        case 'gradle': {
          const [g, a] = pick(rng, MVN_ARTIFACTS).split(':') as [string, string];
          return e(
            `[INFO] Downloaded from nexus: https://nexus.acme.internal/repository/maven-public/${g.replaceAll('.', '/')}/${a}/${ver(rng)}/${a}-${ver(rng)}.pom (${int(rng, 2, 40)} kB at ${int(rng, 100, 900)} kB/s)`,
            rng.int(2),
          );
        }
        case 'cpp':
          return e(`${pick(rng, CONAN_PKGS)}: Retrieving package ${hex(rng, 40)} from remote 'conancenter'`, rng.int(3));
        case 'rust':
          return e(`  Downloaded ${pick(rng, CRATES)} v${ver(rng)}`);
        case 'go':
          return e(`go: downloading ${pick(rng, GO_MODS)} v${ver(rng)}`, rng.int(2));
      }
      break;
    case 'build':
    case 'docker-build':
      switch (ctx.eco) {
        case 'node':
          return kind === 'docker-build'
            ? e(
                `#${int(rng, 6, 12)} ${int(rng, 1, 90)}.${int(rng, 100, 999)} ${pick(rng, ['transforming...', 'rendering chunks...', `added ${int(rng, 10, 90)} packages`, 'computing gzip size...'])}`,
                rng.int(3),
              )
            : e(
                `dist/assets/${pick(rng, WORDS)}-${hex(rng, 8)}.js   ${int(rng, 1, 90)}.${int(rng, 10, 99)} kB │ gzip: ${int(rng, 1, 30)}.${int(rng, 10, 99)} kB`,
              );
        case 'maven':
        case 'gradle':
          return e(
            `[INFO] ${pick(rng, ['Copying', 'Processing', 'Generating'])} ${int(rng, 1, 40)} resource${pick(rng, ['s', ''])} from src/main/resources to target/classes`,
            rng.int(2),
          );
        case 'cpp':
          return e(
            `[${i + 12}/${i + 400}] Building CXX object src/CMakeFiles/${ctx.repo}.dir/${pick(rng, WORDS)}/${pick(rng, WORDS)}_${pick(rng, ['io', 'util', 'core', 'impl'])}.cc.o`,
            rng.int(3),
          );
        case 'rust':
          return e(`   Compiling ${pick(rng, CRATES)} v${ver(rng)}`, rng.int(3));
        case 'go':
          return e(`go: building ${pick(rng, GO_MODS)}/${pick(rng, WORDS)}`, rng.int(2));
        case 'python':
          return e(`copying app/${pick(rng, WORDS)}/${pick(rng, WORDS)}.py -> build/lib/app/${pick(rng, WORDS)}`);
      }
      break;
    case 'test':
    case 'integration': {
      const [w, v] = words(rng);
      switch (ctx.eco) {
        case 'node':
          return e(
            `PASS src/${w}/__tests__/${w}${pick(rng, ['', '.api', '.store', '.view'])}.test.ts${rng.chance(0.3) ? ` (${int(rng, 1, 9)}.${int(rng, 10, 99)} s)` : ''}`,
            rng.int(3),
          );
        case 'python':
          return e(
            `tests/${kind === 'integration' ? 'integration/' : ''}test_${w}.py::test_${v}_${pick(rng, WORDS)} PASSED${' '.repeat(int(rng, 1, 12))}[${String(Math.min(99, Math.floor(i / 3))).padStart(3)}%]`,
            rng.int(2),
          );
        case 'maven':
          return rng.chance(0.5)
            ? e(
                `[INFO] Running ${javaPkg(ctx)}.${camel(w)}${pick(rng, ['Service', 'Controller', 'Mapper'])}${kind === 'integration' ? 'IT' : 'Test'}`,
                rng.int(2),
              )
            : e(
                `[INFO] Tests run: ${int(rng, 2, 40)}, Failures: 0, Errors: 0, Skipped: ${rng.int(2)}, Time elapsed: ${int(rng, 0, 9)}.${int(rng, 100, 999)} s -- in ${javaPkg(ctx)}.${camel(w)}Test`,
                rng.int(3),
              );
        case 'gradle':
          return e(`${camel(w)}${pick(rng, ['Service', 'Repository'])}Test > ${v}${camel(pick(rng, WORDS))}() PASSED`, rng.int(2));
        case 'cpp':
          return e(
            `${String(i + 1).padStart(3)}/${i + 200} Test #${i + 1}: ${camel(w)}Test.${camel(v)}${camel(pick(rng, WORDS))} ..........   Passed    ${int(rng, 0, 2)}.${int(rng, 10, 99)} sec`,
            rng.int(2),
          );
        case 'rust':
          return e(
            `        PASS [   ${int(rng, 0, 2)}.${int(rng, 100, 999)}s] ${ctx.repo.replaceAll('-', '_')} ${w}::tests::${v}_${pick(rng, WORDS)}`,
            rng.int(2),
          );
        case 'go':
          return e(`PASS internal/${w}.Test${camel(v)}${camel(pick(rng, WORDS))} (0.${int(rng, 0, 99)}s)`, rng.int(2));
      }
      break;
    }
    case 'deploy':
      return e(
        `Waiting for deployment "${ctx.repo}" rollout to finish: ${int(rng, 0, 2)} of 3 updated replicas are available...`,
        int(rng, 5, 20),
      );
    default:
      return e(`${pick(rng, ['Processing', 'Resolving paths for', 'Preparing'])} ${pick(rng, WORDS)}/${pick(rng, WORDS)}`, rng.int(2));
  }
  return e('...');
}

// ---------------------------------------------------------------------------------------------
// Failures

/** A benign early error inside the failing step: the first error line, not the root cause. */
export function benignDecoy(rng: Rng): Entry {
  const text = pick(rng, [
    'error: remote build cache https://cache.acme.internal unreachable: 503 Service Unavailable (continuing with local cache)',
    'ERROR: could not upload test timing data to https://insights.acme.internal: connection reset by peer (continuing)',
    'error: telemetry exporter https://otel.acme.internal:4318: connection refused (continuing without tracing)',
    'ERROR: failed to restore build cache key deps-linux-x64: cache service responded 502 Bad Gateway (continuing without cache)',
  ]);
  return { text, dt: 1, mark: 'decoy' };
}

const testName = (ctx: Ctx, rng: Rng): { file: string; name: string; cls: string; method: string } => {
  const [w, v] = words(rng);
  const other = pick(rng, WORDS);
  switch (ctx.eco) {
    case 'node':
      return {
        file: `src/${w}/__tests__/${w}.test.ts`,
        name: `${camel(w)} › ${v} the ${other} ${pick(rng, ['after tax', 'for guests', 'on retry', 'when empty', 'in EUR'])}`,
        cls: camel(w),
        method: v,
      };
    case 'python':
      return { file: `tests/test_${w}.py`, name: `test_${v}_${other}`, cls: `test_${w}`, method: `test_${v}_${other}` };
    case 'maven':
    case 'gradle':
      return {
        file: `${camel(w)}ServiceTest`,
        name: `${camel(w)}ServiceTest.${v}${camel(other)}`,
        cls: `${javaPkg(ctx)}.${camel(w)}ServiceTest`,
        method: `${v}${camel(other)}`,
      };
    case 'cpp':
      return {
        file: `test/${w}_test.cc`,
        name: `${camel(w)}Test.${camel(v)}${camel(other)}`,
        cls: `${camel(w)}Test`,
        method: `${camel(v)}${camel(other)}`,
      };
    case 'rust':
      return { file: `src/${w}/tests.rs`, name: `${w}::tests::${v}_${other}`, cls: w, method: `${v}_${other}` };
    case 'go':
      return {
        file: `internal/${w}/${w}_test.go`,
        name: `Test${camel(v)}${camel(other)}`,
        cls: w,
        method: `Test${camel(v)}${camel(other)}`,
      };
  }
};

/** The failure lines of a deterministic test failure (all evidence). */
function testFailureLines(ctx: Ctx, rng: Rng, integration: boolean): { lines: Entry[]; what: string } {
  const t = testName(ctx, rng);
  const want = int(rng, 2, 500);
  const got = want + pick(rng, [-10, -5, -1, 1, 5, 50]);
  switch (ctx.eco) {
    case 'node':
      return {
        what: `jest test "${t.name}" fails (expected ${want}, received ${got})`,
        lines: [
          ev(`FAIL ${t.file} (${int(rng, 2, 9)}.${int(rng, 10, 99)} s)`, 1),
          ev(`  ● ${t.name}`),
          e('    expect(received).toBe(expected) // Object.is equality'),
          ev(`    Expected: ${want}`),
          ev(`    Received: ${got}`),
          e(`      at Object.toBe (${t.file}:${int(rng, 20, 200)}:${int(rng, 5, 30)})`),
        ],
      };
    case 'python': {
      const line = int(rng, 20, 300);
      return {
        what: `pytest ${t.file}::${t.method} fails (assert ${got} == ${want})`,
        lines: [
          ev(
            `${integration ? 'tests/integration/' : ''}${t.file.replace('tests/', integration ? '' : 'tests/')}::${t.method} FAILED${' '.repeat(int(rng, 1, 10))}[ ${int(rng, 10, 90)}%]`,
            1,
          ),
          e('=================================== FAILURES ===================================', int(rng, 5, 60)),
          e(`_____________________________ ${t.method} ______________________________`),
          e(`>       assert result.${pick(rng, WORDS)}_total == ${want}`),
          ev(`E       AssertionError: assert ${got} == ${want}`),
          ev(`${t.file}:${line}: AssertionError`),
          e('=========================== short test summary info ============================'),
          ev(`FAILED ${t.file}::${t.method} - AssertionError: assert ${got} == ${want}`),
        ],
      };
    }
    case 'maven':
    case 'gradle':
      if (ctx.eco === 'gradle') {
        return {
          what: `JUnit test ${t.name} fails (expected <${want}> but was <${got}>)`,
          lines: [
            ev(`${t.file} > ${t.method}() FAILED`, 1),
            ev(`    org.opentest4j.AssertionFailedError: expected: <${want}> but was: <${got}>`),
            e(`        at ${t.cls}.${t.method}(${t.file}.java:${int(rng, 20, 200)})`),
            ev(`${int(rng, 100, 900)} tests completed, 1 failed`, 2),
            ev(`> There were failing tests. See the report at: file:///home/runner/work/${ctx.repo}/build/reports/tests/test/index.html`),
          ],
        };
      }
      return {
        what: `JUnit test ${t.name} fails (expected <${want}> but was <${got}>)`,
        lines: [
          ev(
            `[ERROR] Tests run: ${int(rng, 3, 30)}, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: ${int(rng, 0, 9)}.${int(rng, 100, 999)} s <<< FAILURE! -- in ${t.cls}`,
            1,
          ),
          ev(`[ERROR] ${t.cls}.${t.method} -- Time elapsed: 0.0${int(rng, 10, 99)} s <<< FAILURE!`),
          ev(`org.opentest4j.AssertionFailedError: expected: <${want}> but was: <${got}>`),
          e(`	at ${t.cls}.${t.method}(${t.file}.java:${int(rng, 20, 200)})`),
          ev('[ERROR] Failures: ', 3),
          ev(`[ERROR]   ${t.name}:${int(rng, 20, 200)} expected: <${want}> but was: <${got}>`),
          ev(`[ERROR] Tests run: ${int(rng, 100, 900)}, Failures: 1, Errors: 0, Skipped: ${int(rng, 0, 4)}`),
        ],
      };
    case 'cpp':
      return {
        what: `GoogleTest ${t.name} fails (${got} != ${want})`,
        lines: [
          ev(`${t.file}:${int(rng, 20, 300)}: Failure`, 1),
          ev('Expected equality of these values:'),
          e(`  frame.${pick(rng, WORDS)}_count()`),
          ev(`    Which is: ${got}`),
          e(`  ${want}`),
          ev(`[  FAILED  ] ${t.name} (${int(rng, 1, 90)} ms)`),
          ev(`The following tests FAILED:`, 1),
          ev(`	 ${int(rng, 10, 200)} - ${t.name} (Failed)`),
        ],
      };
    case 'rust':
      return {
        what: `cargo test ${t.name} fails (left ${got}, right ${want})`,
        lines: [
          ev(`        FAIL [   0.${int(rng, 100, 999)}s] ${ctx.repo.replaceAll('-', '_')} ${t.name}`, 1),
          ev(`thread '${t.name}' panicked at ${t.file}:${int(rng, 20, 300)}:${int(rng, 5, 20)}:`),
          ev('assertion `left == right` failed'),
          e(`  left: ${got}`),
          e(` right: ${want}`),
          ev(
            `     Summary [  ${int(rng, 5, 90)}.${int(rng, 100, 999)}s] ${int(rng, 80, 600)} tests run: ${int(rng, 80, 599)} passed, 1 failed, 0 skipped`,
            2,
          ),
        ],
      };
    case 'go':
      return {
        what: `go test ${t.name} fails (got ${got}, want ${want})`,
        lines: [
          ev(`--- FAIL: ${t.name} (0.${int(rng, 0, 99)}s)`, 1),
          ev(`    ${t.file.split('/').pop()}:${int(rng, 20, 300)}: got ${got} entries, want ${want}`),
          ev(`FAIL	github.com/acme/${ctx.repo}/internal/${t.cls}	${int(rng, 0, 9)}.${int(rng, 100, 999)}s`),
          ev(`DONE 2 runs, ${int(rng, 80, 600)} tests, 2 failures in ${int(rng, 10, 90)}.${int(rng, 0, 9)}s`, 1),
        ],
      };
  }
}

function flakyLines(ctx: Ctx, rng: Rng): { lines: Entry[]; what: string } {
  const t = testName(ctx, rng);
  const gate = (name: string): Entry =>
    ev(`flaky-gate: 1 test passed only after a retry (${name}); fail_on_flaky is enabled on main, failing the step`, 2);
  switch (ctx.eco) {
    case 'node':
      return {
        what: `jest test "${t.name}" failed, then passed on retry (flaky)`,
        lines: [
          ev(`  ● ${t.name}`, 1),
          ev(`    thrown: "Exceeded timeout of 5000 ms for a test."`),
          ev(`  ✓ ${t.name} (passed on retry 2 of 3)`, 6),
          gate(t.name),
        ],
      };
    case 'python':
      return {
        what: `pytest ${t.method} failed once and passed on rerun (flaky)`,
        lines: [
          ev(`${t.file}::${t.method} RERUN${' '.repeat(int(rng, 1, 8))}[ ${int(rng, 10, 90)}%]`, 1),
          ev(`${t.file}::${t.method} PASSED${' '.repeat(int(rng, 1, 8))}[ ${int(rng, 10, 90)}%]`, 4),
          ev(`=========== ${int(rng, 100, 800)} passed, 1 rerun in ${int(rng, 30, 300)}.${int(rng, 10, 99)}s ===========`, 2),
          gate(`${t.file}::${t.method}`),
        ],
      };
    case 'maven':
    case 'gradle':
      return {
        what: `JUnit test ${t.name} failed on run 1 and passed on run 2 (flaky)`,
        lines: [
          ev(
            `[WARNING] Tests run: ${int(rng, 3, 30)}, Failures: 0, Errors: 0, Skipped: 0, Flakes: 1, Time elapsed: ${int(rng, 1, 20)}.${int(rng, 100, 999)} s -- in ${t.cls}`,
            1,
          ),
          ev('[WARNING] Flakes: '),
          ev(`[WARNING] ${t.name}`),
          ev(`[ERROR]   Run 1: ${t.name}:${int(rng, 20, 200)} expected: <true> but was: <false>`),
          ev('[INFO]   Run 2: PASS'),
          gate(t.name),
        ],
      };
    case 'rust':
    case 'cpp':
      return {
        what: `test ${t.name} failed, then passed on retry (flaky)`,
        lines: [
          ev(`   TRY 1 FAIL [   ${int(rng, 1, 9)}.${int(rng, 100, 999)}s] ${ctx.repo.replaceAll('-', '_')} ${t.name}`, 1),
          ev(`   TRY 2 PASS [   ${int(rng, 0, 2)}.${int(rng, 100, 999)}s] ${ctx.repo.replaceAll('-', '_')} ${t.name}`, 3),
          gate(t.name),
        ],
      };
    case 'go':
      return {
        what: `go test ${t.name} failed, then passed on rerun (flaky)`,
        lines: [
          ev(`=== RERUN ${t.name}`, 1),
          ev(`PASS internal/${t.cls}.${t.name} (re-run 1) (0.${int(rng, 10, 99)}s)`, 2),
          ev(`DONE 2 runs, ${int(rng, 80, 600)} tests, 1 flaky in ${int(rng, 10, 90)}.${int(rng, 0, 9)}s`, 1),
          gate(t.name),
        ],
      };
  }
}

function compileLines(ctx: Ctx, rng: Rng, docker: boolean): { lines: Entry[]; what: string; code: number } {
  const file = srcFile(ctx, rng);
  const line = int(rng, 12, 400);
  const col = int(rng, 3, 40);
  const [w] = words(rng);
  const pre = docker ? `#${int(rng, 8, 12)} ${int(rng, 2, 90)}.${int(rng, 100, 999)} ` : '';
  switch (ctx.eco) {
    case 'node': {
      const code = pick(rng, [
        ['TS2345', `Argument of type 'string' is not assignable to parameter of type 'number'.`],
        ['TS2339', `Property '${w}Id' does not exist on type '${camel(w)}'.`],
        ['TS2322', `Type 'undefined' is not assignable to type '${camel(w)}'.`],
        ['TS2307', `Cannot find module '@acme/${w}-client' or its corresponding type declarations.`],
      ] as const);
      return {
        code: 2,
        what: `TypeScript ${code[0]} in ${file}: ${code[1]}`,
        lines: [ev(`${pre}${file}(${line},${col}): error ${code[0]}: ${code[1]}`, 2), ev(`${pre}Found 1 error in ${file}:${line}`, 1)],
      };
    }
    case 'python':
      return {
        code: 1,
        what: `mypy: ${file}:${line} incompatible argument type`,
        lines: [
          ev(`${pre}${file}:${line}: error: Argument 1 to "get_${w}" has incompatible type "str"; expected "int"  [arg-type]`, 3),
          ev(`${pre}Found 1 error in 1 file (checked ${int(rng, 80, 260)} source files)`, 1),
        ],
      };
    case 'maven':
      return {
        code: 1,
        what: `javac: cannot find symbol in ${file.split('/').pop()}:${line}`,
        lines: [
          ev(`${pre}[ERROR] COMPILATION ERROR : `, 4),
          ev(`${pre}[ERROR] /home/runner/work/${ctx.repo}/${file}:[${line},${col}] cannot find symbol`),
          ev(`${pre}  symbol:   method findBy${camel(w)}Id(java.lang.Long)`),
          e(`${pre}  location: variable repository of type ${javaPkg(ctx)}.${camel(w)}Repository`),
          e(`${pre}[INFO] 1 error`),
          e(`${pre}[INFO] BUILD FAILURE`, 1),
          ev(
            `${pre}[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project ${ctx.repo}: Compilation failure`,
          ),
        ],
      };
    case 'gradle':
      return {
        code: 1,
        what: `javac: incompatible types in ${file.split('/').pop()}:${line}`,
        lines: [
          e(`${pre}> Task :compileJava`, 4),
          ev(
            `${pre}/home/runner/work/${ctx.repo}/${file}:${line}: error: incompatible types: Optional<${camel(w)}> cannot be converted to ${camel(w)}`,
          ),
          e(`${pre}        return repository.findById(id);`),
          ev(`${pre}1 error`),
          e(`${pre}> Task :compileJava FAILED`),
          ev(`${pre}Execution failed for task ':compileJava'.`, 1),
        ],
      };
    case 'cpp':
      if (rng.chance(0.35)) {
        return {
          code: 1,
          what: `linker: undefined reference to ${camel(w)}Buffer::flush()`,
          lines: [
            ev(`${pre}/usr/bin/ld: CMakeFiles/${ctx.repo}.dir/${file}.o: in function \`${camel(w)}Writer::close()':`, 8),
            ev(`${pre}${file.split('/').pop()}:(.text+0x${hex(rng, 3)}): undefined reference to \`${camel(w)}Buffer::flush()'`),
            ev(`${pre}collect2: error: ld returned 1 exit status`),
            e(`${pre}ninja: build stopped: subcommand failed.`),
          ],
        };
      }
      return {
        code: 1,
        what: `gcc: '${camel(w)}Header' was not declared in ${file}:${line}`,
        lines: [
          ev(`${pre}/home/runner/work/${ctx.repo}/${file}:${line}:${col}: error: '${camel(w)}Header' was not declared in this scope`, 6),
          e(`${pre}  ${line} |         ${camel(w)}Header hdr = parse_header(buf);`),
          e(`${pre}      |         ^~~~~~~~~~~`),
          e(`${pre}ninja: build stopped: subcommand failed.`),
        ],
      };
    case 'rust':
      return {
        code: 101,
        what: `rustc E0308 mismatched types in ${file}:${line}`,
        lines: [
          ev(`${pre}error[E0308]: mismatched types`, 6),
          ev(`${pre}   --> ${file}:${line}:${col}`),
          e(`${pre}    |`),
          e(`${pre}${String(line).padStart(3)} |         let port: u16 = cfg.port;`),
          e(`${pre}    |                   ---   ^^^^^^^^ expected \`u16\`, found \`u32\``),
          ev(`${pre}For more information about this error, try \`rustc --explain E0308\`.`),
        ],
      };
    case 'go':
      return {
        code: 1,
        what: `go build: undefined: lru.NewWithEvict in ${file}:${line}`,
        lines: [
          e(`${pre}# github.com/acme/${ctx.repo}/${file.split('/').slice(0, -1).join('/')}`, 5),
          ev(`${pre}${file}:${line}:${col}: undefined: lru.NewWithEvict`),
        ],
      };
  }
}

function lintLines(ctx: Ctx, rng: Rng): { lines: Entry[]; what: string } {
  const file = srcFile(ctx, rng);
  const line = int(rng, 5, 300);
  const col = int(rng, 1, 30);
  switch (ctx.eco) {
    case 'node':
      return {
        what: `eslint: no-unused-vars in ${file}`,
        lines: [
          e(`/home/runner/work/${ctx.repo}/${file}`, 3),
          ev(`  ${line}:${col}  error  '${pick(rng, WORDS)}Total' is assigned a value but never used  @typescript-eslint/no-unused-vars`),
          ev(`  ${line + 9}:${col}  error  Unexpected console statement  no-console`),
          ev(`✖ 2 problems (2 errors, 0 warnings)`, 1),
        ],
      };
    case 'python':
      return {
        what: `ruff: unused import in ${file}`,
        lines: [
          ev(`${file}:${line}:${col}: F401 [*] \`os\` imported but unused`, 2),
          ev(`${file}:${line + 14}:${col}: E711 Comparison to \`None\` should be \`cond is None\``),
          ev('Found 2 errors.'),
          e('[*] 1 fixable with the `--fix` option.'),
        ],
      };
    case 'maven':
    case 'gradle':
      return {
        what: `checkstyle: MissingSwitchDefault in ${file.split('/').pop()}`,
        lines: [
          ev(`[ERROR] ${file}:[${line},${col}] (coding) MissingSwitchDefault: switch without "default" clause. [Checkstyle]`, 4),
          ev(`[ERROR] You have 1 Checkstyle violation. [Checkstyle]`, 1),
        ],
      };
    case 'cpp':
      return {
        what: `clang-tidy: bugprone-use-after-move in ${file}`,
        lines: [
          ev(
            `/home/runner/work/${ctx.repo}/${file}:${line}:${col}: warning: '${pick(rng, WORDS)}' used after it was moved [bugprone-use-after-move,-warnings-as-errors]`,
            8,
          ),
          ev('1 warning treated as error (clang-tidy)', 1),
        ],
      };
    case 'rust':
      return {
        what: `clippy: if_same_then_else in ${file}`,
        lines: [
          ev('error: this `if` has identical blocks (clippy::if_same_then_else)', 6),
          ev(`   --> ${file}:${line}:${col}`),
          ev('    = note: `#[deny(clippy::if_same_then_else)]` on by default'),
        ],
      };
    case 'go':
      return {
        what: `staticcheck: SA4006 in ${file}`,
        lines: [
          ev(`${file}:${line}:${col}: SA4006: this value of \`err\` is never used (staticcheck)`, 3),
          ev(`${file}:${line + 21}:${col}: printf: fmt.Sprintf format %d has arg ${pick(rng, WORDS)} of wrong type string (govet)`),
        ],
      };
  }
}

function dependencyLines(ctx: Ctx, rng: Rng, docker: boolean, eresolve: boolean): { lines: Entry[]; what: string } {
  const pre = docker ? `#${int(rng, 6, 9)} ${int(rng, 2, 60)}.${int(rng, 100, 999)} ` : '';
  switch (ctx.eco) {
    case 'node': {
      if (eresolve) {
        const peer = pick(rng, [
          ['react-beautiful-dnd@13.1.1', 'react@"^16.8.5 || ^17.0.0"'],
          ['@storybook/react@6.5.16', 'react@"^16.8.0 || ^17.0.0"'],
          ['eslint-plugin-import@2.26.0', 'eslint@"^2 || ^3 || ^4 || ^5 || ^6 || ^7.2.0 || ^8"'],
          ['react-query@3.39.3', 'react@"^16.8.0 || ^17.0.0"'],
        ] as const);
        return {
          what: `npm ERESOLVE: ${peer[0]} needs peer ${peer[1]}, which conflicts with the root project`,
          lines: [
            ev(`${pre}npm ERR! code ERESOLVE`, 5),
            ev(`${pre}npm ERR! ERESOLVE unable to resolve dependency tree`),
            e(`${pre}npm ERR! `),
            e(`${pre}npm ERR! While resolving: ${ctx.repo}@${ver(rng)}`),
            e(`${pre}npm ERR! Found: ${peer[1].split('@')[0]}@${pick(rng, ['18.3.1', '9.14.0'])}`),
            e(`${pre}npm ERR! `),
            ev(`${pre}npm ERR! Could not resolve dependency:`),
            ev(`${pre}npm ERR! peer ${peer[1]} from ${peer[0]}`),
            e(`${pre}npm ERR! `),
            e(`${pre}npm ERR! Fix the upstream dependency conflict, or retry`),
            e(`${pre}npm ERR! this command with --force or --legacy-peer-deps`),
          ],
        };
      }
      const p = `@acme/${pick(rng, WORDS)}-client`;
      return {
        what: `npm ETARGET: no version of ${p} matches ^4.2.0`,
        lines: [
          ev(`${pre}npm ERR! code ETARGET`, 5),
          ev(`${pre}npm ERR! notarget No matching version found for ${p}@^4.2.0.`),
          e(`${pre}npm ERR! notarget In most cases you or one of your dependencies are requesting`),
          e(`${pre}npm ERR! notarget a package version that doesn't exist.`),
        ],
      };
    }
    case 'python': {
      const pin = `urllib3==2.${int(rng, 0, 2)}.${int(rng, 0, 3)}`;
      return {
        what: `pip ResolutionImpossible: ${pin} conflicts with botocore's urllib3<1.27`,
        lines: [
          ev(
            `${pre}ERROR: Cannot install -r requirements.txt (line ${int(rng, 4, 40)}) and ${pin} because these package versions have conflicting dependencies.`,
            8,
          ),
          e(`${pre}The conflict is caused by:`),
          e(`${pre}    The user requested ${pin}`),
          e(`${pre}    botocore 1.34.${int(rng, 10, 160)} depends on urllib3<1.27 and >=1.25.4; python_version < "3.10"`),
          ev(
            `${pre}ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts`,
          ),
        ],
      };
    }
    case 'maven': {
      const v = ver(rng);
      return {
        what: `maven: com.acme:shared-model:jar:${v} not found in nexus`,
        lines: [
          ev(
            `${pre}[ERROR] Failed to execute goal on project ${ctx.repo}: Could not resolve dependencies for project com.acme:${ctx.repo}:jar:${ver(rng)}-SNAPSHOT: The following artifacts could not be resolved: com.acme:shared-model:jar:${v} (absent): Could not find artifact com.acme:shared-model:jar:${v} in nexus (https://nexus.acme.internal/repository/maven-public/)`,
            6,
          ),
          e(`${pre}[ERROR] -> [Help 1]`),
        ],
      };
    }
    case 'gradle': {
      const v = ver(rng);
      return {
        what: `gradle: could not find com.acme:shared-model:${v}`,
        lines: [
          ev(`${pre}> Could not resolve all files for configuration ':compileClasspath'.`, 6),
          ev(`${pre}   > Could not find com.acme:shared-model:${v}.`),
          e(`${pre}     Searched in the following locations:`),
          e(`${pre}       - https://nexus.acme.internal/repository/maven-public/com/acme/shared-model/${v}/shared-model-${v}.pom`),
          e(`${pre}     Required by:`),
          e(`${pre}         project :`),
        ],
      };
    }
    case 'cpp': {
      const p = pick(rng, CONAN_PKGS);
      return {
        what: `conan: ${p} not resolved in any remote`,
        lines: [ev(`${pre}ERROR: Package '${p}' not resolved: Unable to find '${p}' in remotes`, 4)],
      };
    }
    case 'rust': {
      const c = pick(rng, CRATES);
      return {
        what: `cargo: no version of ${c} matches ^9.1`,
        lines: [
          ev(`${pre}error: failed to select a version for the requirement \`${c} = "^9.1"\``, 4),
          ev(`${pre}candidate versions found which didn't match: ${ver(rng)}, ${ver(rng)}`),
          e(`${pre}location searched: crates.io index`),
        ],
      };
    }
    case 'go': {
      const m = pick(rng, GO_MODS);
      return {
        what: `go: ${m}@v9.4.0 unknown revision`,
        lines: [ev(`${pre}go: ${m}@v9.4.0: invalid version: unknown revision v9.4.0`, 4)],
      };
    }
  }
}

function networkLines(ctx: Ctx, rng: Rng, kind: StepKind): { lines: Entry[]; what: string; code: number } {
  if (kind === 'checkout') {
    return {
      code: 128,
      what: 'git fetch could not resolve github.com (DNS)',
      lines: [
        ev(`fatal: unable to access 'https://github.com/acme/${ctx.repo}.git/': Could not resolve host: github.com`, 20),
        e('Waiting 14 seconds before trying again'),
        ev(`fatal: unable to access 'https://github.com/acme/${ctx.repo}.git/': Could not resolve host: github.com`, 14),
        ev("The process '/usr/bin/git' failed with exit code 128"),
      ],
    };
  }
  if (kind === 'push') {
    return {
      code: 1,
      what: 'image push to registry.acme.internal failed: 503 from the registry',
      lines: [
        e(`${hex(rng, 12)}: Pushing  ${int(rng, 10, 90)}.${int(rng, 1, 9)}MB/${int(rng, 100, 400)}.${int(rng, 1, 9)}MB`, 20),
        ev('received unexpected HTTP status: 503 Service Unavailable', 30),
      ],
    };
  }
  if (kind === 'docker-build') {
    return {
      code: 1,
      what: 'base image pull from docker.io timed out (DNS lookup i/o timeout)',
      lines: [
        ev(
          `#2 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/library/${pick(rng, ['node', 'python', 'eclipse-temurin', 'golang', 'rust'])}/manifests/${pick(rng, ['20-bookworm-slim', '3.12-slim', '21-jre', '1.23', '1.82'])}": dial tcp: lookup registry-1.docker.io on 10.0.0.2:53: i/o timeout`,
          30,
        ),
        ev('ERROR: failed to solve: failed to resolve source metadata: i/o timeout', 1),
      ],
    };
  }
  switch (ctx.eco) {
    case 'node':
      return {
        code: 1,
        what: 'npm registry request failed (ECONNRESET)',
        lines: [
          ev('npm ERR! code ECONNRESET', 40),
          e('npm ERR! syscall read'),
          ev(`npm ERR! network request to https://registry.npmjs.org/${pick(rng, NPM_PKGS)} failed, reason: read ECONNRESET`),
          ev('npm ERR! network This is a problem related to network connectivity.'),
        ],
      };
    case 'python': {
      const p = pick(rng, PY_PKGS);
      return {
        code: 1,
        what: `pip could not reach pypi.org (connect timeouts), so ${p} was not found`,
        lines: [
          ev(
            `WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ConnectTimeoutError(<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f${hex(rng, 10)}>, 'Connection to pypi.org timed out. (connect timeout=15)')': /simple/${p}/`,
            15,
          ),
          ev(
            `WARNING: Retrying (Retry(total=3, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ConnectTimeoutError(<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f${hex(rng, 10)}>, 'Connection to pypi.org timed out. (connect timeout=15)')': /simple/${p}/`,
            16,
          ),
          ev(`ERROR: Could not find a version that satisfies the requirement ${p}==${ver(rng)} (from versions: none)`, 30),
          ev(`ERROR: No matching distribution found for ${p}==${ver(rng)}`),
        ],
      };
    }
    case 'maven':
      return {
        code: 1,
        what: 'maven could not download kafka-clients from central (connect timed out)',
        lines: [
          ev(
            `[ERROR] Failed to execute goal on project ${ctx.repo}: Could not resolve dependencies for project com.acme:${ctx.repo}:jar:${ver(rng)}-SNAPSHOT: Failed to collect dependencies at org.apache.kafka:kafka-clients:jar:3.7.1: Failed to read artifact descriptor for org.apache.kafka:kafka-clients:jar:3.7.1: Could not transfer artifact org.apache.kafka:kafka-clients:pom:3.7.1 from/to central (https://repo.maven.apache.org/maven2): Connect to repo.maven.apache.org:443 [repo.maven.apache.org/151.101.${int(rng, 1, 250)}.215] failed: Connect timed out`,
            60,
          ),
        ],
      };
    case 'gradle':
      return {
        code: 1,
        what: 'gradle download from Maven Central failed with 502 Bad Gateway',
        lines: [
          e(`> Could not resolve all files for configuration ':runtimeClasspath'.`, 40),
          e(`   > Could not resolve com.fasterxml.jackson.core:jackson-databind:2.17.2.`),
          ev(
            `      > Could not GET 'https://repo.maven.apache.org/maven2/com/fasterxml/jackson/core/jackson-databind/2.17.2/jackson-databind-2.17.2.pom'. Received status code 502 from server: Bad Gateway`,
          ),
        ],
      };
    case 'cpp':
      return {
        code: 1,
        what: 'conan could not download from conancenter (max retries, connect timeout)',
        lines: [
          ev(
            `ERROR: Error downloading file https://center2.conan.io/v2/conans/${pick(rng, CONAN_PKGS)}/_/_/revisions: 'HTTPSConnectionPool(host='center2.conan.io', port=443): Max retries exceeded with url (Caused by ConnectTimeoutError(connect timeout=60))'`,
            60,
          ),
        ],
      };
    case 'rust':
      return {
        code: 101,
        what: 'cargo could not resolve index.crates.io (DNS)',
        lines: [
          ev('warning: spurious network error (2 tries remaining): [6] Could not resolve host: index.crates.io', 10),
          ev('warning: spurious network error (1 tries remaining): [6] Could not resolve host: index.crates.io', 10),
          ev(`error: failed to download from \`https://index.crates.io/${pick(rng, CRATES).slice(0, 2)}/\``, 10),
          ev('Caused by: [6] Could not resolve host: index.crates.io'),
        ],
      };
    case 'go':
      return {
        code: 1,
        what: 'go module download from proxy.golang.org timed out (DNS lookup)',
        lines: [
          ev(
            `go: ${pick(rng, GO_MODS)}@v${ver(rng)}: Get "https://proxy.golang.org/${pick(rng, GO_MODS)}/@v/list": dial tcp: lookup proxy.golang.org on 127.0.0.53:53: read udp 127.0.0.1:${int(rng, 30000, 60000)}->127.0.0.53:53: i/o timeout`,
            30,
          ),
        ],
      };
  }
}

function diskLines(ctx: Ctx, rng: Rng, kind: StepKind): { lines: Entry[]; what: string } {
  const df = [
    e('$ df -h /', 1),
    e('Filesystem      Size  Used Avail Use% Mounted on'),
    e(`/dev/root        ${pick(rng, [72, 84, 145])}G   ${pick(rng, [72, 84, 145])}G     0 100% /`),
  ];
  if (kind === 'docker-build' || kind === 'push') {
    return {
      what: 'runner disk full while writing image layers',
      lines: [
        ev(
          `#${int(rng, 9, 13)} ERROR: failed to copy: write /var/lib/docker/overlay2/${hex(rng, 24)}/diff/app/node_modules/.cache: no space left on device`,
          10,
        ),
        ev('ERROR: failed to solve: failed to compute cache key: write /var/lib/docker/tmp: no space left on device', 1),
        ...df,
      ],
    };
  }
  switch (ctx.eco) {
    case 'node':
      return {
        what: 'runner disk full during npm ci (ENOSPC)',
        lines: [
          ev('npm ERR! code ENOSPC', 10),
          e('npm ERR! syscall write'),
          e('npm ERR! errno -28'),
          ev('npm ERR! nospc ENOSPC: no space left on device, write'),
          ...df,
        ],
      };
    case 'python':
      return {
        what: 'runner disk full while installing packages (Errno 28)',
        lines: [ev('ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device', 10), ...df],
      };
    case 'maven':
    case 'gradle':
      return {
        what: 'runner disk full while writing test reports',
        lines: [
          ev('java.io.IOException: No space left on device', 10),
          e('	at java.base/java.io.FileOutputStream.writeBytes(Native Method)'),
          e('	at org.gradle.api.internal.tasks.testing.junit.result.TestOutputStore$Writer.onOutput(TestOutputStore.java:99)'),
          ...df,
        ],
      };
    case 'cpp':
      return {
        what: 'runner disk full (ccache and object files)',
        lines: [
          ev(`ccache: error: Failed to create temporary file for /home/runner/.ccache/tmp/${hex(rng, 8)}.tmp: No space left on device`, 10),
          ev('/usr/bin/ld: final link failed: No space left on device'),
          e('ninja: build stopped: subcommand failed.'),
          ...df,
        ],
      };
    case 'rust':
      return {
        what: 'runner disk full while writing target/ (os error 28)',
        lines: [
          ev(
            `error: failed to write \`/home/runner/work/${ctx.repo}/target/release/deps/lib${pick(rng, CRATES)}-${hex(rng, 16)}.rlib\``,
            10,
          ),
          ev('Caused by: No space left on device (os error 28)'),
          ...df,
        ],
      };
    case 'go':
      return {
        what: 'runner disk full while writing the build cache',
        lines: [
          ev(`go: writing build cache: open /home/runner/.cache/go-build/${hex(rng, 2)}/${hex(rng, 40)}-d: no space left on device`, 10),
          ...df,
        ],
      };
  }
}

/** The failure of a step for a category (not for cascades, which are built from these). */
export function failure(category: Category, kind: StepKind, ctx: Ctx, options: { eresolve?: boolean; oom137?: boolean } = {}): Failure {
  const { rng } = ctx;
  const docker = kind === 'docker-build';
  switch (category) {
    case 'compile': {
      const f = compileLines(ctx, rng, docker);
      const tail = docker
        ? [
            ev(
              `#${int(rng, 8, 12)} ERROR: process "/bin/sh -c ${pick(rng, ['npm run build', 'cargo build --release', 'go build ./...', 'mvn -B package', 'mypy app/'])}" did not complete successfully: exit code: ${f.code}`,
              1,
            ),
          ]
        : [];
      return {
        pre: [],
        root: [...f.lines, ...tail],
        post: [],
        end: `failed (exit code ${f.code})`,
        exit: `exit code ${f.code}`,
        rootCause: f.what,
      };
    }
    case 'lint': {
      const f = lintLines(ctx, rng);
      return { pre: [], root: f.lines, post: [], end: 'failed (exit code 1)', exit: 'exit code 1', rootCause: f.what };
    }
    case 'test': {
      const f = testFailureLines(ctx, rng, kind === 'integration');
      return {
        pre: [],
        root: f.lines,
        post: [e(pick(rng, ['Ran all test suites.', 'Results written to reports/junit.xml', 'Test reports uploaded']), 1)],
        end: 'failed (exit code 1)',
        exit: 'exit code 1',
        rootCause: f.what,
      };
    }
    case 'flaky': {
      const f = flakyLines(ctx, rng);
      return { pre: [], root: f.lines, post: [], end: 'failed (exit code 1)', exit: 'exit code 1', rootCause: f.what };
    }
    case 'oom': {
      if (options.oom137) {
        const what =
          kind === 'test' || kind === 'integration'
            ? 'test run killed by the kernel OOM killer (exit 137)'
            : 'build killed by the kernel OOM killer (exit 137)';
        return {
          pre: [],
          root: [
            ev(docker ? `#${int(rng, 8, 12)} ${int(rng, 20, 200)}.${int(rng, 100, 999)} Killed` : 'Killed', int(rng, 20, 90)),
            ev(`error: step ${ctx.stepId}: process exited with code 137 (killed by signal 9, SIGKILL)`),
          ],
          post: [],
          end: 'failed (exit code 137)',
          exit: 'exit code 137',
          rootCause: what,
        };
      }
      if (ctx.eco === 'node') {
        return {
          pre: [
            e('<--- Last few GCs --->', int(rng, 30, 120)),
            e(
              `[${int(rng, 1000, 9999)}:0x${hex(rng, 7)}]   ${int(rng, 100000, 300000)} ms: Mark-Compact 4041.2 (4135.4) -> 4026.9 (4137.2) MB, 2211.40 / 0.00 ms  (average mu = 0.112, current mu = 0.021) allocation failure`,
            ),
          ],
          root: [
            ev('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 1),
            e(' 1: 0xb7b3e0 node::Abort() [node]'),
            e(' 2: 0xa8a2c1 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]'),
          ],
          post: [e('Aborted (core dumped)')],
          end: 'failed (exit code 134)',
          exit: 'exit code 134',
          rootCause: 'Node.js ran out of heap (JavaScript heap out of memory)',
        };
      }
      if (ctx.eco === 'python') {
        return {
          pre: [],
          root: [
            ev(
              `E       MemoryError: Unable to allocate ${int(rng, 4, 30)}.${int(rng, 1, 9)} GiB for an array with shape (${int(rng, 100000, 900000)}, ${int(rng, 1000, 9000)}) and data type float64`,
              20,
            ),
            ev(`FAILED tests/test_${pick(rng, WORDS)}.py::test_${pick(rng, VERBS)}_large_batch - MemoryError`),
          ],
          post: [],
          end: 'failed (exit code 1)',
          exit: 'exit code 1',
          rootCause: 'numpy allocation failed: MemoryError in a test',
        };
      }
      return {
        pre: [],
        root: [
          ev('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', 20),
          e('	at java.base/java.util.Arrays.copyOf(Arrays.java:3537)'),
          ev(`> Task :${kind === 'build' ? 'compileJava' : 'test'} FAILED`),
        ],
        post: [],
        end: 'failed (exit code 1)',
        exit: 'exit code 1',
        rootCause: 'JVM ran out of heap (java.lang.OutOfMemoryError: Java heap space)',
      };
    }
    case 'dependency': {
      const f = dependencyLines(ctx, rng, docker, options.eresolve ?? false);
      const tail = docker
        ? [
            ev(
              `#${int(rng, 6, 9)} ERROR: process "/bin/sh -c ${ctx.eco === 'node' ? 'npm ci' : ctx.eco === 'python' ? 'pip install -r requirements.txt' : 'make deps'}" did not complete successfully: exit code: 1`,
              1,
            ),
          ]
        : [];
      return { pre: [], root: [...f.lines, ...tail], post: [], end: 'failed (exit code 1)', exit: 'exit code 1', rootCause: f.what };
    }
    case 'network': {
      const f = networkLines(ctx, rng, kind);
      return { pre: [], root: f.lines, post: [], end: `failed (exit code ${f.code})`, exit: `exit code ${f.code}`, rootCause: f.what };
    }
    case 'disk': {
      const f = diskLines(ctx, rng, kind);
      return { pre: [], root: f.lines, post: [], end: 'failed (exit code 1)', exit: 'exit code 1', rootCause: f.what };
    }
    case 'timeout': {
      if (kind === 'deploy') {
        return {
          pre: [e(`helm upgrade --install ${ctx.repo} charts/${ctx.repo} --namespace staging --wait --timeout 10m`)],
          root: [
            ev('Error: UPGRADE FAILED: context deadline exceeded', 600),
            ev(`error: deployment "${ctx.repo}" exceeded its progress deadline`, 1),
          ],
          post: [
            e(`kubectl -n staging get pods -l app=${ctx.repo}`, 1),
            e(`${ctx.repo}-${hex(rng, 9)}-${hex(rng, 5)}   0/1     CrashLoopBackOff   6 (41s ago)   9m58s`),
          ],
          end: 'failed (exit code 1)',
          exit: 'exit code 1',
          rootCause: 'helm rollout did not become ready within 10m (context deadline exceeded)',
        };
      }
      const limit = pick(rng, [30, 45, 60]);
      return {
        pre: [],
        root: [
          ev(`error: the job exceeded its maximum execution time of ${limit}m0s; cancelling step ${ctx.stepId}`, limit * 30),
          ev('Error: The operation was canceled.'),
        ],
        post: [],
        end: 'cancelled (timeout)',
        exit: `cancelled (job timeout ${limit}m)`,
        rootCause: `job timed out after ${limit} minutes while ${ctx.stepId} was running (hung)`,
      };
    }
  }
}

/** A cascade: misleading errors first, the root cause after them (a service log dump or a "Caused by" chain). */
export function cascade(style: 'service-dump' | 'caused-by', root: 'disk' | 'network' | 'oom', ctx: Ctx): Failure {
  const { rng } = ctx;
  const decoys: Entry[] = [];
  const t = testName(ctx, rng);
  if (style === 'service-dump') {
    const n = int(rng, 3, 7);
    for (let i = 0; i < n; i++) {
      const name = testName(ctx, rng);
      if (ctx.eco === 'python') {
        decoys.push({
          text: `tests/integration/test_${name.cls.replace('test_', '')}.py::${name.method} FAILED${' '.repeat(int(rng, 1, 8))}[ ${int(rng, 10, 90)}%]`,
          dt: 1,
          mark: 'decoy',
        });
        decoys.push({
          text: `E   psycopg.OperationalError: connection to server at "postgres" (172.18.0.${int(rng, 2, 9)}), port 5432 failed: Connection refused`,
          dt: 0,
          mark: 'decoy',
        });
      } else if (ctx.eco === 'node') {
        decoys.push({ text: `FAIL src/${name.cls.toLowerCase()}/__tests__/${name.method}.int.test.ts`, dt: 1, mark: 'decoy' });
        decoys.push({ text: '    Error: connect ECONNREFUSED 172.18.0.3:5432', dt: 0, mark: 'decoy' });
      } else {
        decoys.push({
          text: `[ERROR] ${name.cls}IT.${name.method} -- Time elapsed: 0.${int(rng, 10, 99)} s <<< ERROR!`,
          dt: 1,
          mark: 'decoy',
        });
        decoys.push({
          text: 'org.postgresql.util.PSQLException: Connection to postgres:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.',
          dt: 0,
          mark: 'decoy',
        });
      }
    }
    const dump: Entry[] = [
      e('--- service logs: postgres (dumped on failure) ---', 2),
      e(
        `postgres-1  | 2025-03-${int(rng, 10, 21)} ${int(rng, 10, 23)}:00:01.${int(rng, 100, 999)} UTC [1] LOG:  starting PostgreSQL 16.4 on x86_64-pc-linux-musl`,
      ),
    ];
    let rootLines: Entry[];
    let what: string;
    if (root === 'disk') {
      rootLines = [
        ev(`postgres-1  | PANIC:  could not write to file "pg_wal/xlogtemp.${int(rng, 20, 90)}": No space left on device`),
        e('postgres-1  | LOG:  startup process (PID 31) was terminated by signal 6: Aborted'),
      ];
      what = 'postgres service crashed: disk full on the runner (No space left on device); tests then failed with connection refused';
    } else if (root === 'oom') {
      rootLines = [
        ev('postgres-1  | FATAL:  could not map anonymous shared memory: Cannot allocate memory'),
        e("postgres-1  | HINT:  This error usually means that PostgreSQL's request for a shared memory segment exceeded available memory"),
      ];
      what = 'postgres service could not start: out of memory on the runner; tests then failed with connection refused';
    } else {
      rootLines = [
        ev('postgres-1  | FATAL:  could not translate host name "pg-init.ci.internal" to address: Temporary failure in name resolution'),
      ];
      what = 'postgres init could not resolve pg-init.ci.internal (DNS); tests then failed with connection refused';
    }
    return {
      pre: [],
      root: [...decoys, ...dump, ...rootLines],
      post: [e('--- end of service logs ---')],
      end: 'failed (exit code 1)',
      exit: 'exit code 1',
      rootCause: what,
    };
  }
  // caused-by: a Spring context failure whose last "Caused by" is the root.
  const lines: Entry[] = [
    {
      text: `[ERROR] ${t.cls.replace(/Test$/, 'ApplicationIT')}.contextLoads -- Time elapsed: ${int(rng, 2, 9)}.${int(rng, 100, 999)} s <<< ERROR!`,
      dt: 2,
      mark: 'decoy',
    },
    {
      text: 'java.lang.IllegalStateException: Failed to load ApplicationContext for [WebMergedContextConfiguration@' + hex(rng, 8) + ']',
      dt: 0,
      mark: 'decoy',
    },
    e(
      '	at org.springframework.test.context.cache.DefaultCacheAwareContextLoaderDelegate.loadContext(DefaultCacheAwareContextLoaderDelegate.java:180)',
    ),
    e('	at org.springframework.test.context.support.DefaultTestContext.getApplicationContext(DefaultTestContext.java:130)'),
    e(
      `Caused by: org.springframework.beans.factory.BeanCreationException: Error creating bean with name '${pick(rng, ['flyway', 'dataSource', 'kafkaAdmin', 'entityManagerFactory'])}' defined in class path resource`,
    ),
    e(
      '	at org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1806)',
    ),
  ];
  let what: string;
  if (root === 'network') {
    lines.push(
      ev(`Caused by: java.net.UnknownHostException: ${ctx.repo}-db.ci.svc.cluster.local: Temporary failure in name resolution`),
      e('	at java.base/java.net.InetAddress$CachedLookup.get(InetAddress.java:988)'),
    );
    what = `the test database host ${ctx.repo}-db.ci.svc.cluster.local did not resolve (DNS); the Spring context then failed to load`;
  } else if (root === 'oom') {
    lines.push(ev('Caused by: java.lang.OutOfMemoryError: Java heap space'), e('	at java.base/java.util.Arrays.copyOf(Arrays.java:3537)'));
    what = 'the JVM ran out of heap while loading the Spring context (OutOfMemoryError)';
  } else {
    lines.push(
      ev('Caused by: java.io.IOException: No space left on device'),
      e('	at java.base/java.io.FileOutputStream.writeBytes(Native Method)'),
    );
    what = 'runner disk full while the test context wrote its files';
  }
  lines.push(e(`[ERROR] Tests run: ${int(rng, 20, 300)}, Failures: 0, Errors: 1, Skipped: 0`, 3));
  return { pre: [], root: lines, post: [], end: 'failed (exit code 1)', exit: 'exit code 1', rootCause: what };
}

/** A lint step that fails but is allowed to (continue-on-error). */
export function allowedLintFailure(ctx: Ctx, kind: StepKind): Entry[] {
  if (kind === 'scan') {
    return [
      e(`trivy image --severity HIGH,CRITICAL --exit-code 1 registry.acme.internal/${ctx.repo}:${ctx.sha.slice(0, 7)}`),
      e(`registry.acme.internal/${ctx.repo}:${ctx.sha.slice(0, 7)} (debian 12.8)`, 9),
      e(`Total: ${int(ctx.rng, 1, 4)} (HIGH: ${int(ctx.rng, 1, 3)}, CRITICAL: ${int(ctx.rng, 0, 1)})`),
      e(
        `error: vulnerabilities at or above HIGH found (${pick(ctx.rng, ['CVE-2024-45490 libexpat1', 'CVE-2024-6119 openssl', 'CVE-2024-37371 libkrb5-3'])})`,
      ),
    ];
  }
  return lintLines(ctx, ctx.rng).lines.map((l) => ({ text: l.text, dt: l.dt }));
}
