/**
 * How a fleet cell's model is named to a reader: the model id, with " (patched)" after it for CMP cards
 * whose driver locks were removed by a community patch (they earn otherwise than the same model unpatched,
 * so the two are separate rows everywhere: tables, charts, moves, warnings).
 */
export function modelLabel(cell: { model: string; cmpPatched: boolean }): string {
  return cell.cmpPatched ? `${cell.model} (patched)` : cell.model;
}
