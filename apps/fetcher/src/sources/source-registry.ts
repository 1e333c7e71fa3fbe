import type { FxSourceAdapter, InstrumentSourceAdapter, SourceAdapter } from './source-adapter';

/**
 * The configured adapters by id, per kind: ids are unique among instrument sources and among FX sources
 * (the simulated source may be both).
 */
export interface SourceRegistry {
  instrumentSource(id: string): InstrumentSourceAdapter | undefined;
  fxSource(id: string): FxSourceAdapter | undefined;
  readonly instrumentSources: readonly InstrumentSourceAdapter[];
  readonly fxSources: readonly FxSourceAdapter[];
}

export function createSourceRegistry(adapters: readonly SourceAdapter[]): SourceRegistry {
  const instruments = new Map<string, InstrumentSourceAdapter>();
  const fx = new Map<string, FxSourceAdapter>();
  for (const adapter of adapters) {
    const byId: Map<string, SourceAdapter> = adapter.kind === 'instrument' ? instruments : fx;
    if (byId.has(adapter.id)) throw new Error(`two ${adapter.kind} sources share the id ${adapter.id}`);
    if (adapter.kind === 'instrument') instruments.set(adapter.id, adapter);
    else fx.set(adapter.id, adapter);
  }
  return {
    instrumentSource: (id) => instruments.get(id),
    fxSource: (id) => fx.get(id),
    instrumentSources: [...instruments.values()],
    fxSources: [...fx.values()],
  };
}
