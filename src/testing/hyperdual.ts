/**
 * Hyper-dual numbers a + b·ε1 + c·ε2 + d·ε1ε2 (ε1² = ε2² = 0): forward-mode automatic
 * differentiation that gives first AND second derivatives exact to rounding, with no step size.
 * Test-only: an autograd independent of the hand-derived formulas in src/math.
 */
export class HyperDual {
  constructor(
    readonly a: number,
    readonly b = 0,
    readonly c = 0,
    readonly d = 0,
  ) {}

  static of(v: number | HyperDual): HyperDual {
    return typeof v === 'number' ? new HyperDual(v) : v;
  }

  add(o: number | HyperDual): HyperDual {
    const y = HyperDual.of(o);
    return new HyperDual(this.a + y.a, this.b + y.b, this.c + y.c, this.d + y.d);
  }

  sub(o: number | HyperDual): HyperDual {
    const y = HyperDual.of(o);
    return new HyperDual(this.a - y.a, this.b - y.b, this.c - y.c, this.d - y.d);
  }

  mul(o: number | HyperDual): HyperDual {
    const y = HyperDual.of(o);
    return new HyperDual(
      this.a * y.a,
      this.a * y.b + this.b * y.a,
      this.a * y.c + this.c * y.a,
      this.a * y.d + this.b * y.c + this.c * y.b + this.d * y.a,
    );
  }

  /** 1/x: (1/a, −b/a², −c/a², 2bc/a³ − d/a²). */
  inv(): HyperDual {
    const { a, b, c, d } = this;
    return new HyperDual(1 / a, -b / (a * a), -c / (a * a), (2 * b * c) / (a * a * a) - d / (a * a));
  }

  div(o: number | HyperDual): HyperDual {
    return this.mul(HyperDual.of(o).inv());
  }

  /** log x: (log a, b/a, c/a, d/a − bc/a²). */
  log(): HyperDual {
    const { a, b, c, d } = this;
    return new HyperDual(Math.log(a), b / a, c / a, d / a - (b * c) / (a * a));
  }

  /** e^x: e^a·(1, b, c, d + bc). */
  exp(): HyperDual {
    const e = Math.exp(this.a);
    return new HyperDual(e, e * this.b, e * this.c, e * (this.d + this.b * this.c));
  }
}
