/** Grafana's dashboard grid is 24 columns wide. */
export const GRID_COLUMNS = 24;

/** Position and size of a panel on the dashboard grid. */
export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

/**
 * Places panels left to right, wrapping to a new line when a panel does not
 * fit, the way a reader scans the dashboard. Positions depend only on the
 * order and sizes of the panels, so the same dashboard always renders the
 * same JSON, and no two panels can overlap.
 */
export class GridLayout {
  private x = 0;
  private y = 0;
  private lineHeight = 0;

  /** The position of the next panel of the given size. */
  public place(w: number, h: number): GridPos {
    if (this.x + w > GRID_COLUMNS) this.newLine();
    const pos = { h, w, x: this.x, y: this.y };
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return pos;
  }

  /** A full-width row header on a line of its own. */
  public placeRow(): GridPos {
    this.newLine();
    const pos = this.place(GRID_COLUMNS, 1);
    this.newLine();
    return pos;
  }

  private newLine(): void {
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}
