// Loads gpu.js (an optional dependency) and explains itself: which version,
// which kernel type gpu.js picked, and — when the gpu backend cannot run —
// what is missing and how to install it (STYLE.md 9, like the native loader).
//
// gpu.js 2.24 picks, for mode 'gpu', the first of headlessgl → webgl2 →
// webgl → webasm that works. In Node only headlessgl can work, and it needs
// gpu.js's own optional dependency `gl` (headless-gl): built from source
// (package.json's allowScripts.gl = false skips that build so CI stays fast,
// TOOLCHAIN.md "gpu.js 2.24") and given an X server (Xvfb headless). Without
// it gpu.js silently runs on the CPU (webasm), which is no GPU backend: the
// default request therefore needs a GL kernel, and the CPU modes are opt-in
// (`INFOPLANE_GPUJS_MODE=webasm|cpu`, used by tests and benches).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** What can be asked for: `gpu` = the best GL kernel gpu.js has (the default); the others force one kernel type. */
export const GPUJS_MODES = ['gpu', 'headlessgl', 'webgl', 'webgl2', 'webasm', 'cpu'] as const;
export type GpuJsMode = (typeof GPUJS_MODES)[number];

/** The kernel type that actually runs (gpu.js's Kernel class). */
export type GpuJsKernelType = 'headlessgl' | 'webgl2' | 'webgl' | 'webgpu' | 'webasm' | 'cpu';

/** Kernel types that draw with a GL context (a GPU, or Mesa's software renderer). */
export const GL_KERNEL_TYPES: readonly GpuJsKernelType[] = ['headlessgl', 'webgl2', 'webgl'];

/** Environment variable that forces a gpu.js mode for the gpu backend. */
export const GPUJS_MODE_ENV = 'INFOPLANE_GPUJS_MODE';

// ---- The slice of gpu.js's API this backend uses (gpu.js may be absent at type-check time). ----

/** A compiled kernel: call it with the arguments; `.kernel` is the Kernel instance that ran. */
export interface GpuJsKernelFunction {
  (...args: unknown[]): unknown;
  kernel?: { constructor: unknown; fallbackReason?: string | null } | null;
  destroy(removeCanvasReferences?: boolean): void;
}

export interface GpuJsInstance {
  /** The Kernel class gpu.js chose for this instance. */
  readonly Kernel: unknown;
  createKernel(source: string, settings: Record<string, unknown>): GpuJsKernelFunction;
  destroy(): unknown;
}

export interface GpuJsModule {
  GPU: new (settings?: { mode?: string }) => GpuJsInstance;
  HeadlessGLKernel?: unknown;
  WebGL2Kernel?: unknown;
  WebGLKernel?: unknown;
  WebGPUKernel?: unknown;
  WebAssemblyKernel?: unknown;
  CPUKernel?: unknown;
}

/** headless-gl's state, as far as it decides whether gpu.js can draw. */
export type GlState = { state: 'ok' } | { state: 'missing' | 'unbuilt' | 'failed' | 'no-display' | 'no-context'; detail: string };

export interface GpuJsStatus {
  /** The gpu backend can run here in the requested mode. */
  available: boolean;
  requested: GpuJsMode;
  /** The kernel type gpu.js picked for the requested mode (absent when gpu.js did not load or refused the mode). */
  picked?: GpuJsKernelType;
  /** gpu.js's package version. */
  version?: string;
  gl: GlState;
  /** Why the gpu backend is unavailable, and how to fix it. */
  reason?: string;
  module?: GpuJsModule;
}

/** How gpu.js and gl are found: Node's require (tests inject one that fails). */
export type ModuleRequire = (id: string) => unknown;

export interface GpuJsProbeOptions {
  /** Default: $INFOPLANE_GPUJS_MODE, else `gpu`. */
  mode?: GpuJsMode | string;
  /** Loads `gpu.js`, `gpu.js/package.json` and `gl`. Default: Node's require from this file. */
  require?: ModuleRequire;
  env?: NodeJS.ProcessEnv;
}

const GPUJS_INSTALL = 'gpu.js is an optional dependency of infoplane: install it with `npm install --include=optional` (or `npm install gpu.js@2.24`)';
const GL_BUILD =
  '`gl` (headless-gl) is skipped on purpose by package.json\'s "allowScripts": { "gl": false } so that CI does not spend minutes compiling it. ' +
  'To build it (3.5–6 min on 2 cores: it compiles ANGLE): `apt-get install -y libxi-dev` (the other build packages, g++/make/python3/pkg-config/libx11-dev/libxext-dev/libgl-dev, ' +
  'are usually present), then `cd node_modules/gl && JOBS=max npm run rebuild`';
const X_SERVER =
  'headless-gl needs an X server: `apt-get install -y xvfb` and run under `xvfb-run -a` (e.g. `xvfb-run -a npx infoplane run --backend gpu …`); it then renders with Mesa llvmpipe (software)';
const CPU_OPT_IN = `to run the gpu backend on gpu.js's CPU kernels anyway (tests, benches), set ${GPUJS_MODE_ENV}=webasm or ${GPUJS_MODE_ENV}=cpu`;

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

function isModuleNotFound(err: unknown, id: string): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${id}'`);
}

/** Whether headless-gl loads and can create a context, and if not why (checked the way gpu.js checks it). */
export function probeGl(req: ModuleRequire, env: NodeJS.ProcessEnv): GlState {
  let createContext: unknown;
  try {
    createContext = req('gl');
  } catch (err) {
    if (isModuleNotFound(err, 'gl')) {
      return { state: 'missing', detail: "gpu.js's optional dependency `gl` (headless-gl) is not installed: `npm install --include=optional`, then build it" };
    }
    const message = errorMessage(err);
    if (/bindings file|webgl\.node/i.test(message)) {
      return { state: 'unbuilt', detail: '`gl` (headless-gl) is installed but its native module (build/Release/webgl.node) is not built' };
    }
    return { state: 'failed', detail: `\`gl\` (headless-gl) failed to load: ${message}; rebuild it` };
  }
  if (typeof createContext !== 'function') return { state: 'failed', detail: '`gl` loaded but does not export a context factory' };
  let context: { getExtension?(name: string): unknown } | null = null;
  try {
    context = (createContext as (w: number, h: number, o: object) => typeof context)(2, 2, { preserveDrawingBuffer: true });
  } catch (err) {
    return { state: 'no-context', detail: `\`gl\` could not create a WebGL context: ${errorMessage(err)}` };
  }
  if (!context) {
    if (!env.DISPLAY) return { state: 'no-display', detail: '`gl` is built but cannot create a WebGL context: no X server (DISPLAY is unset)' };
    return {
      state: 'no-context',
      detail: `\`gl\` is built but cannot create a WebGL context on DISPLAY=${env.DISPLAY} (is the X server running, with Mesa's GL: libgl1-mesa-dri?)`,
    };
  }
  const destroy = context.getExtension?.('STACKGL_destroy_context') as { destroy?(): void } | null | undefined;
  destroy?.destroy?.();
  return { state: 'ok' };
}

/** The kernel type behind gpu.js's chosen Kernel class. */
export function kernelTypeOf(module: GpuJsModule, Kernel: unknown): GpuJsKernelType | undefined {
  const byClass: [unknown, GpuJsKernelType][] = [
    [module.HeadlessGLKernel, 'headlessgl'],
    [module.WebGL2Kernel, 'webgl2'],
    [module.WebGLKernel, 'webgl'],
    [module.WebGPUKernel, 'webgpu'],
    [module.WebAssemblyKernel, 'webasm'],
    [module.CPUKernel, 'cpu'],
  ];
  return byClass.find(([cls]) => cls !== undefined && cls === Kernel)?.[1];
}

function isGpuJsMode(mode: string): mode is GpuJsMode {
  return (GPUJS_MODES as readonly string[]).includes(mode);
}

/** Probes gpu.js and gl without caching (tests call this with an injected require). */
export function probeGpuJs(options: GpuJsProbeOptions = {}): GpuJsStatus {
  const env = options.env ?? process.env;
  const requested = (options.mode ?? (env[GPUJS_MODE_ENV] || 'gpu')).trim();
  const req = options.require ?? createRequire(import.meta.url);
  if (!isGpuJsMode(requested)) {
    return {
      available: false,
      requested: 'gpu',
      gl: { state: 'failed', detail: 'not probed' },
      reason: `${GPUJS_MODE_ENV} must be one of ${GPUJS_MODES.join(', ')}, got ${JSON.stringify(requested)}`,
    };
  }
  let module: GpuJsModule;
  try {
    module = req('gpu.js') as GpuJsModule;
  } catch (err) {
    const what = isModuleNotFound(err, 'gpu.js') ? 'gpu.js is not installed' : `gpu.js failed to load (${errorMessage(err)})`;
    return {
      available: false,
      requested,
      gl: { state: 'missing', detail: 'gpu.js is not installed' },
      reason: `${what}; ${GPUJS_INSTALL}. For a GPU it also needs its \`gl\` built: ${GL_BUILD}; then ${X_SERVER}`,
    };
  }
  let version: string | undefined;
  try {
    version = (req('gpu.js/package.json') as { version?: string }).version;
  } catch {
    version = undefined;
  }
  // gl is gpu.js's dependency: resolve it from gpu.js's folder, as gpu.js does.
  let glRequire = req;
  if (!options.require) {
    try {
      glRequire = createRequire(dirname(createRequire(import.meta.url).resolve('gpu.js')) + '/');
    } catch {
      glRequire = req;
    }
  }
  const gl = probeGl(glRequire, env);
  const named = `gpu.js ${version ?? '(unknown version)'}`;
  let instance: GpuJsInstance | undefined;
  try {
    instance = new module.GPU({ mode: requested });
  } catch (err) {
    const why = gl.state === 'ok' ? '' : `: ${gl.detail}. ${gl.state === 'no-display' || gl.state === 'no-context' ? X_SERVER : GL_BUILD}`;
    return { available: false, requested, version, gl, module, reason: `${named} cannot run mode ${requested} (${errorMessage(err)})${why}` };
  }
  const picked = kernelTypeOf(module, instance.Kernel);
  try {
    instance.destroy();
  } catch {
    // a probe instance with no kernels: nothing to release
  }
  if (requested === 'gpu' && !(picked && GL_KERNEL_TYPES.includes(picked))) {
    const why = gl.state === 'ok' ? 'gpu.js found no usable WebGL context' : gl.detail;
    const fix =
      gl.state === 'no-display' || gl.state === 'no-context'
        ? X_SERVER
        : gl.state === 'ok'
          ? 'check that the GL context supports float textures (OES_texture_float)'
          : `${GL_BUILD}; then ${X_SERVER}`;
    return {
      available: false,
      requested,
      picked,
      version,
      gl,
      module,
      reason: `${named} has no GPU here: ${why}, so it would run on the CPU (${picked ?? 'unknown'} mode). ${fix}. Or ${CPU_OPT_IN}`,
    };
  }
  return { available: true, requested, picked, version, gl, module };
}

const cache = new Map<string, GpuJsStatus>();

/** The probe for the default (or given) mode, cached for the process. */
export function loadGpuJs(mode?: GpuJsMode): GpuJsStatus {
  const key = mode ?? process.env[GPUJS_MODE_ENV] ?? 'gpu';
  let status = cache.get(key);
  if (!status) {
    status = probeGpuJs(mode ? { mode } : {});
    cache.set(key, status);
  }
  return status;
}

/** A one-line summary for `infoplane backends`. */
export function describeGpuJs(status: GpuJsStatus): string {
  const parts = [`gpu.js ${status.version ?? 'absent'}`, `requested ${status.requested}`];
  if (status.picked) parts.push(`picked ${status.picked}`);
  parts.push(`gl ${status.gl.state}`);
  return parts.join(', ');
}
