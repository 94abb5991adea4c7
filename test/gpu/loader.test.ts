// The gpu.js loader explains itself: every way gpu.js or its `gl` can be
// missing is simulated with an injected require (no test needs gl), and each
// gives a reason that says what is missing and how to install it.
import { InputError } from '../../src/core/input-error.ts';
import { describe, expect, it } from 'vitest';
import { gpuBackend } from '../../src/backend/gpu/gpu-backend.ts';
import { type GpuJsModule, type ModuleRequire, describeGpuJs, probeGpuJs } from '../../src/backend/gpu/loader.ts';

class HeadlessGLKernel {}
class WebAssemblyKernel {}
class CPUKernel {}

/** A stand-in gpu.js: mode `gpu` picks headlessgl when `glWorks`, else webasm, like gpu.js 2.24's kernel order. */
function fakeGpuJs(glWorks: boolean): GpuJsModule {
  class GPU {
    Kernel: unknown;
    constructor(settings: { mode?: string } = {}) {
      const mode = settings.mode ?? 'gpu';
      if (mode === 'gpu') this.Kernel = glWorks ? HeadlessGLKernel : WebAssemblyKernel;
      else if (mode === 'headlessgl' && glWorks) this.Kernel = HeadlessGLKernel;
      else if (mode === 'webasm') this.Kernel = WebAssemblyKernel;
      else if (mode === 'cpu') this.Kernel = CPUKernel;
      else throw new Error(`A requested mode of "${mode}" and is not supported`);
    }
    createKernel(): never {
      throw new Error('not in this test');
    }
    destroy(): void {}
  }
  return { GPU, HeadlessGLKernel, WebAssemblyKernel, CPUKernel };
}

function notFound(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- here`), { code: 'MODULE_NOT_FOUND' });
}

/** A require that serves gpu.js (or not) and a gl in one of its states. */
function requireWith(gpujs: GpuJsModule | 'absent', gl: 'absent' | 'unbuilt' | 'no-context' | 'ok'): ModuleRequire {
  return (id) => {
    if (id === 'gpu.js') {
      if (gpujs === 'absent') throw notFound('gpu.js');
      return gpujs;
    }
    if (id === 'gpu.js/package.json') return { version: '2.24.1' };
    if (id === 'gl') {
      if (gl === 'absent') throw notFound('gl');
      if (gl === 'unbuilt') throw new Error('Could not locate the bindings file. Tried:\n → /x/node_modules/gl/build/webgl.node');
      if (gl === 'no-context') return () => null;
      return () => ({ getExtension: () => ({ destroy: () => {} }) });
    }
    throw notFound(id);
  };
}

const NO_DISPLAY = {};
const DISPLAY = { DISPLAY: ':99' };

describe('probeGpuJs', () => {
  it('gpu.js absent: unavailable, says to install it', () => {
    const s = probeGpuJs({ require: requireWith('absent', 'absent'), env: NO_DISPLAY });
    expect(s.available).toBe(false);
    expect(s.picked).toBeUndefined();
    expect(s.reason).toMatch(/^gpu\.js is not installed; .*npm install --include=optional.*gpu\.js@2\.24/);
    expect(s.reason).toMatch(/libxi-dev.*JOBS=max.*xvfb-run -a/);
  });

  it('gl absent: gpu.js would run webasm; says how to install and build gl, and that an X server is needed', () => {
    const s = probeGpuJs({ require: requireWith(fakeGpuJs(false), 'absent'), env: NO_DISPLAY });
    expect(s).toMatchObject({ available: false, requested: 'gpu', picked: 'webasm', version: '2.24.1', gl: { state: 'missing' } });
    expect(s.reason).toContain('`gl` (headless-gl) is not installed');
    expect(s.reason).toContain('it would run on the CPU (webasm mode)');
    expect(s.reason).toMatch(/apt-get install -y libxi-dev.*JOBS=max npm run rebuild.*xvfb-run -a/);
    expect(s.reason).toContain('INFOPLANE_GPUJS_MODE=webasm');
  });

  it('gl installed but not built (allowScripts.gl = false): says so and how to build it', () => {
    const s = probeGpuJs({ require: requireWith(fakeGpuJs(false), 'unbuilt'), env: NO_DISPLAY });
    expect(s).toMatchObject({ available: false, picked: 'webasm', gl: { state: 'unbuilt' } });
    expect(s.reason).toContain('not built');
    expect(s.reason).toContain('"allowScripts": { "gl": false }');
    expect(s.reason).toMatch(/libxi-dev.*JOBS=max/);
  });

  it('gl built but no X server: says to run under xvfb-run', () => {
    const s = probeGpuJs({ require: requireWith(fakeGpuJs(false), 'no-context'), env: NO_DISPLAY });
    expect(s).toMatchObject({ available: false, gl: { state: 'no-display' } });
    expect(s.reason).toContain('DISPLAY is unset');
    expect(s.reason).toContain('xvfb-run -a');
    expect(s.reason).not.toContain('libxi-dev');
  });

  it('gl built, DISPLAY set, no context: names the display', () => {
    const s = probeGpuJs({ require: requireWith(fakeGpuJs(false), 'no-context'), env: DISPLAY });
    expect(s).toMatchObject({ available: false, gl: { state: 'no-context' } });
    expect(s.reason).toContain('DISPLAY=:99');
  });

  it('gl works: available, gpu.js picked headlessgl', () => {
    const s = probeGpuJs({ require: requireWith(fakeGpuJs(true), 'ok'), env: DISPLAY });
    expect(s).toMatchObject({ available: true, requested: 'gpu', picked: 'headlessgl', gl: { state: 'ok' } });
    expect(s.reason).toBeUndefined();
    expect(describeGpuJs(s)).toBe('gpu.js 2.24.1, requested gpu, picked headlessgl, gl ok');
  });

  it('a CPU mode is available on request without gl (tests, benches)', () => {
    for (const mode of ['webasm', 'cpu'] as const) {
      const s = probeGpuJs({ mode, require: requireWith(fakeGpuJs(false), 'unbuilt'), env: NO_DISPLAY });
      expect(s).toMatchObject({ available: true, requested: mode, picked: mode });
    }
    const viaEnv = probeGpuJs({ require: requireWith(fakeGpuJs(false), 'absent'), env: { INFOPLANE_GPUJS_MODE: 'cpu' } });
    expect(viaEnv).toMatchObject({ available: true, requested: 'cpu', picked: 'cpu' });
  });

  it('a GL mode gpu.js refuses: says why, with the gl state', () => {
    const s = probeGpuJs({ mode: 'headlessgl', require: requireWith(fakeGpuJs(false), 'unbuilt'), env: NO_DISPLAY });
    expect(s.available).toBe(false);
    expect(s.reason).toMatch(/cannot run mode headlessgl \(A requested mode of "headlessgl" and is not supported\).*not built.*libxi-dev/);
  });

  it('an unknown INFOPLANE_GPUJS_MODE is named', () => {
    const s = probeGpuJs({ require: requireWith(fakeGpuJs(true), 'ok'), env: { INFOPLANE_GPUJS_MODE: 'cuda' } });
    expect(s.available).toBe(false);
    expect(s.reason).toBe('INFOPLANE_GPUJS_MODE must be one of gpu, headlessgl, webgl, webgl2, webasm, cpu, got "cuda"');
  });

  it('the real gpu.js loads here (an npm install always brings it: it is pure JavaScript)', () => {
    const s = probeGpuJs({ mode: 'cpu' });
    expect(s.available).toBe(true);
    expect(s.version).toMatch(/^2\.24\./);
    expect(s.picked).toBe('cpu');
  });
});

describe('gpuBackend', () => {
  it("fails fast with InputError carrying the loader's reason", () => {
    const status = probeGpuJs({ require: requireWith(fakeGpuJs(false), 'unbuilt'), env: NO_DISPLAY });
    expect(() => gpuBackend({ status })).toThrow(InputError);
    expect(() => gpuBackend({ status })).toThrow(/^backend gpu is unavailable: gpu\.js 2\.24\.1 has no GPU here: .*not built/);
    const absent = probeGpuJs({ require: requireWith('absent', 'absent'), env: NO_DISPLAY });
    expect(() => gpuBackend({ status: absent })).toThrow(/gpu\.js is not installed/);
  });

  it('names itself with the gpu.js kernel type and the native variant', () => {
    const backend = gpuBackend({ mode: 'cpu' });
    try {
      expect(backend.name).toBe('gpu');
      expect(backend.info().detail).toMatch(/^gpu\.js 2\.24\.\d+ cpu for the dense products; native \w+, \d+ threads?/);
    } finally {
      backend.destroy();
    }
  });
});
