// Tape: the reverse-mode autodiff record. Values, edges (input, output, local partial) and
// special nodes are appended in creation order; `backward` replays the edges in reverse.
import SynmMath

/// A reverse-mode autodiff tape over any `RealScalar` (`Double` for gradients, `Dual` for
/// Hessian columns), reused across evaluations.
///
/// **Model.** A variable is a slot in the value buffer (`VarIndex`); an array is a run of
/// slots (`VarRange`). A *node* creates one or more fresh outputs and records, for each
/// dependency, an *edge* `(input, output, ∂output/∂input)` with the local partial already
/// computed in `T` arithmetic. Edges live in three parallel arrays (`from`, `to`, `partial`),
/// so `backward` is one tight loop: `adj[from] += partial · adj[to]`, newest edge first.
/// A few node kinds whose partials would be wasteful to store (a constant matrix times a
/// variable vector) are *special nodes*: they record their operands and run their own loop.
///
/// **Invariant (why reverse order is a topological order).** Edges may only be added into
/// the outputs of the most recently created node, from variables created before it. Then
/// every edge out of a variable `v` is appended after every edge into `v`, so when `backward`
/// reaches the edges into `v`, `adj[v]` is complete. The tape tracks the first output of the
/// latest node (`frontier`) and debug builds assert `from < frontier ≤ to` on every edge.
///
/// **Reuse.** `reset()` forgets variables, edges and special nodes but keeps every buffer's
/// capacity and the constant pool, so after the first evaluation of a model no evaluation
/// allocates. Buffers grow geometrically and are never shrunk.
public struct Tape<T: RealScalar> {
    /// Value slots; only `0 ..< valueCount` are live. Grown, never shrunk.
    @usableFromInline var valueStore: [T]
    /// Adjoint slots, sized by `backward`.
    @usableFromInline var adjointStore: [T]
    /// Number of live variables.
    @usableFromInline var valueCount: Int
    /// Edge inputs, outputs and partials (parallel); only `0 ..< edgeCount` are live.
    @usableFromInline var edgeFrom: [Int32]
    @usableFromInline var edgeTo: [Int32]
    @usableFromInline var edgePartial: [T]
    @usableFromInline var edgeCount: Int
    /// Special nodes in creation order, each remembering how many edges preceded it.
    @usableFromInline var specialNodes: [SpecialNode]
    /// Registered constants (data vectors, matrices); survives `reset()`.
    @usableFromInline var constantStore: [Double]
    /// First output of the most recently created node: edges must end at or after it.
    @usableFromInline var frontier: Int32

    /// An empty tape.
    public init() {
        valueStore = []
        adjointStore = []
        valueCount = 0
        edgeFrom = []
        edgeTo = []
        edgePartial = []
        edgeCount = 0
        specialNodes = []
        constantStore = []
        frontier = 0
    }

    /// An empty tape with room for `variables` variables and `edges` edges.
    public init(reservingVariables variables: Int, edges: Int) {
        self.init()
        growValues(to: variables)
        growEdges(to: edges)
    }

    /// Forgets all variables, edges and special nodes (every `VarIndex` becomes invalid) but
    /// keeps buffer capacity and registered constants.
    @inlinable public mutating func reset() {
        valueCount = 0
        edgeCount = 0
        specialNodes.removeAll(keepingCapacity: true)
        frontier = 0
    }

    /// Number of live variables.
    @inlinable public var variableCount: Int { valueCount }
    /// Number of live edges.
    @inlinable public var edgeTotal: Int { edgeCount }
}

extension Tape: Sendable {}

// MARK: - Creating variables and generic nodes

extension Tape {
    /// A new independent variable (a parameter): a node with no inputs.
    @inlinable public mutating func input(_ value: T) -> VarIndex { newVariable(value) }

    /// New independent variables, contiguous, in the order of `values`.
    @inlinable public mutating func inputs<C: Collection>(_ values: C) -> VarRange
    where C.Element == T {
        let range = newVariables(count: values.count)
        var slot = Int(range.start)
        for v in values {
            valueStore[slot] = v
            slot += 1
        }
        return range
    }

    /// Starts a node with one output of value `value`; add its edges with `addEdge`.
    @inlinable public mutating func newVariable(_ value: T) -> VarIndex {
        reserveValues(1)
        let index = Int32(truncatingIfNeeded: valueCount)
        valueStore[valueCount] = value
        valueCount += 1
        frontier = index
        return VarIndex(raw: index)
    }

    /// Starts a node with `count` outputs, all zero; set them with `setValue` and add edges.
    @inlinable public mutating func newVariables(count: Int) -> VarRange {
        reserveValues(count)
        let start = Int32(truncatingIfNeeded: valueCount)
        for slot in valueCount ..< valueCount + count { valueStore[slot] = 0 }
        valueCount += count
        frontier = start
        return VarRange(start: start, length: Int32(truncatingIfNeeded: count))
    }

    /// Records `∂output/∂input = partial`. `output` must belong to the latest node and
    /// `input` must precede it (asserted in debug builds; see the type's invariant).
    /// Several edges between the same pair add up.
    @inlinable public mutating func addEdge(from input: VarIndex, to output: VarIndex, partial: T) {
        assert(input.raw < frontier && output.raw >= frontier && Int(output.raw) < valueCount,
               "edge must run from an earlier variable into an output of the latest node")
        reserveEdges(1)
        edgeFrom[edgeCount] = input.raw
        edgeTo[edgeCount] = output.raw
        edgePartial[edgeCount] = partial
        edgeCount += 1
    }

    /// Overwrites the value of `variable` (an output of the node being built, e.g. an
    /// accumulator whose total is known only after its edges are added).
    @inlinable public mutating func setValue(_ value: T, of variable: VarIndex) {
        assert(variable.raw >= frontier, "only the latest node's outputs may be set")
        valueStore[Int(variable.raw)] = value
    }

    /// A one-input node: value `value`, `∂/∂a = da`.
    @inlinable public mutating func push(_ value: T, _ a: VarIndex, _ da: T) -> VarIndex {
        let out = newVariable(value)
        addEdge(from: a, to: out, partial: da)
        return out
    }

    /// A two-input node: value `value`, partials `da`, `db`.
    @inlinable public mutating func push(
        _ value: T, _ a: VarIndex, _ da: T, _ b: VarIndex, _ db: T
    ) -> VarIndex {
        let out = newVariable(value)
        addEdge(from: a, to: out, partial: da)
        addEdge(from: b, to: out, partial: db)
        return out
    }

    /// A three-input node: value `value`, partials `da`, `db`, `dc`.
    @inlinable public mutating func push(
        _ value: T, _ a: VarIndex, _ da: T, _ b: VarIndex, _ db: T, _ c: VarIndex, _ dc: T
    ) -> VarIndex {
        let out = newVariable(value)
        addEdge(from: a, to: out, partial: da)
        addEdge(from: b, to: out, partial: db)
        addEdge(from: c, to: out, partial: dc)
        return out
    }
}

// MARK: - Reading

extension Tape {
    /// The value of `variable`.
    @inlinable public func value(of variable: VarIndex) -> T {
        assert(Int(variable.raw) < valueCount, "stale VarIndex")
        return valueStore[Int(variable.raw)]
    }

    /// The values of `range` (allocates an array; for tests and drivers, not inner loops).
    public func values(of range: VarRange) -> [T] { range.map { value(of: $0) } }

    /// ∂(output of the last `backward`)/∂`variable`.
    @inlinable public func adjoint(of variable: VarIndex) -> T {
        assert(Int(variable.raw) < adjointStore.count, "call backward(from:) first")
        return adjointStore[Int(variable.raw)]
    }

    /// The adjoints of `range` (allocates an array).
    public func adjoints(of range: VarRange) -> [T] { range.map { adjoint(of: $0) } }
}

// MARK: - Capacity

extension Tape {
    /// Makes room for `n` more variables.
    @inlinable mutating func reserveValues(_ n: Int) {
        if valueCount + n > valueStore.count { growValues(to: valueCount + n) }
    }

    /// Makes room for `n` more edges.
    @inlinable mutating func reserveEdges(_ n: Int) {
        if edgeCount + n > edgeFrom.count { growEdges(to: edgeCount + n) }
    }

    /// Cold path: at least doubles the value buffer.
    @usableFromInline mutating func growValues(to needed: Int) {
        precondition(needed <= Int(Int32.max), "tape exceeds 2³¹ variables")
        let size = Swift.max(needed, 2 * valueStore.count, 64)
        valueStore.append(contentsOf: repeatElement(0, count: size - valueStore.count))
    }

    /// Cold path: at least doubles the edge buffers.
    @usableFromInline mutating func growEdges(to needed: Int) {
        let size = Swift.max(needed, 2 * edgeFrom.count, 64)
        let extra = size - edgeFrom.count
        edgeFrom.append(contentsOf: repeatElement(0, count: extra))
        edgeTo.append(contentsOf: repeatElement(0, count: extra))
        edgePartial.append(contentsOf: repeatElement(0, count: extra))
    }
}
