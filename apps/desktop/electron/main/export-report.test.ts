import { describe, expect, it } from 'vitest';
import { createReportExporter, type ReportExportPorts, reportFileName } from './export-report';

function fakePorts(chosen: string | undefined) {
  const events: string[] = [];
  const written: Array<[string, string]> = [];
  let release: () => void = () => {};
  const ports: ReportExportPorts = {
    printToPdf: async () => {
      events.push('print');
      return new TextEncoder().encode('%PDF-1.7');
    },
    chooseSavePath: (name) => {
      events.push(`dialog:${name}`);
      return new Promise((resolve) => {
        release = () => resolve(chosen);
      });
    },
    writeFile: async (path, data) => {
      written.push([path, new TextDecoder().decode(data)]);
    },
    now: () => new Date(2026, 2, 9, 23, 59),
  };
  return { ports, events, written, release: () => release() };
}

/** Resolves once the exporter has asked for the save path (its dialog is "open"). */
async function dialogOpen(events: string[]): Promise<void> {
  while (!events.some((e) => e.startsWith('dialog:'))) await new Promise((r) => setImmediate(r));
}

/** One export in which the advisor answers the save dialog with `chosen`; what it printed and wrote. */
async function exportChoosing(chosen: string | undefined) {
  const { ports, events, written, release } = fakePorts(chosen);
  const done = createReportExporter(ports)();
  await dialogOpen(events);
  release();
  await done;
  return { events, written };
}

describe('createReportExporter', () => {
  it('prints the page, then offers a dated name, then writes the PDF where the advisor chose', async () => {
    const { events, written } = await exportChoosing('/home/a/report.pdf');
    expect(events).toEqual(['print', 'dialog:tickfolio-report-2026-03-09.pdf']);
    expect(written).toEqual([['/home/a/report.pdf', '%PDF-1.7']]);
  });

  it('adds the .pdf extension the advisor left off', async () => {
    const { written } = await exportChoosing('/home/a/q1');
    expect(written.map(([path]) => path)).toEqual(['/home/a/q1.pdf']);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const { written } = await exportChoosing(undefined);
    expect(written).toEqual([]);
  });

  it('joins a second request made while the first is under way', async () => {
    const { ports, events, written, release } = fakePorts('/r.pdf');
    const exportReport = createReportExporter(ports);
    const first = exportReport();
    const second = exportReport();
    await dialogOpen(events);
    release();
    await Promise.all([first, second]);
    expect(events.filter((e) => e === 'print')).toHaveLength(1);
    expect(written).toHaveLength(1);
  });
});

describe('reportFileName', () => {
  it('pads month and day', () => {
    expect(reportFileName(new Date(2026, 0, 5))).toBe('tickfolio-report-2026-01-05.pdf');
  });
});
