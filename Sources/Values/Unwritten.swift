extension Array where Element: BitwiseCopyable {
    /// `count` elements the caller writes, every one, before any is read: no first pass to
    /// fill them. For the columns of a large study (tens of megabytes at 10⁶ tests), that
    /// pass is the system handing over the memory page by page on one core; without it the
    /// pages are handed over where the values are written (on two cores, when two threads
    /// write them).
    @inlinable
    public init(unwritten count: Int) {
        self.init(unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
}
