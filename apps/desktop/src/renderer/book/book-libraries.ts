/**
 * What the book uses of TanStack Table and TanStack Virtual, in one module: the desk loads it before
 * its own chunk (app.tsx, ui/import-in-turn.ts), so that the libraries are evaluated in a task of their
 * own. Named here, not imported whole, so that the build still leaves out what the book does not use.
 */
export {
  type ColumnDef,
  createColumnHelper,
  getCoreRowModel,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
export { useVirtualizer } from '@tanstack/react-virtual';
