/** What exporting the report needs from Electron: the page as PDF, a save dialog, a file write. */
export interface ReportExportPorts {
  printToPdf(): Promise<Uint8Array>;
  /** The path the advisor picked in the save dialog, or undefined when they cancelled it. */
  chooseSavePath(defaultName: string): Promise<string | undefined>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  now(): Date;
}

/**
 * Exports what the desk shows (the renderer's print stylesheet turns it into the client report) as a
 * PDF the advisor saves where they choose. A second request while one is under way joins it, so a
 * double press does not stack two save dialogs.
 */
export function createReportExporter(ports: ReportExportPorts): () => Promise<void> {
  let running: Promise<void> | undefined;

  async function exportOnce(): Promise<void> {
    // Printed before the dialog opens, so the PDF is the screen the advisor asked for, not whatever a
    // live update changed it to while the dialog was up.
    const pdf = await ports.printToPdf();
    const path = await ports.chooseSavePath(reportFileName(ports.now()));
    if (path === undefined) return;
    await ports.writeFile(/\.pdf$/i.test(path) ? path : `${path}.pdf`, pdf);
  }

  return () => {
    running ??= exportOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
}

/** The suggested file name, dated by the local calendar day the advisor sees. */
export function reportFileName(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `tickfolio-report-${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}.pdf`;
}
