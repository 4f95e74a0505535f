/// Room reused from text to text by one thread scoring many texts (`outcry score`'s workers):
/// the tokenizer's and the rules' working arrays, the model's features, the reason list and
/// the answer's bytes. Without it each text allocates what does not fit on the stack (the
/// tokens of any text over about 40 bytes) and a reason list. Not for sharing between threads.
public final class ScoreWorkspace {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// The reasons of the text scored last.
    let reasons = ReasonList()
    /// Where an answer is made before it is appended to the output.
    let answer: UnsafeMutableBufferPointer<UInt8>

    /// `capacity` bytes of working room to start with (it grows for a longer text) and
    /// `answerCapacity` for an answer (a longer answer uses a temporary allocation).
    public init(capacity: Int = 64 << 10, answerCapacity: Int = 64 << 10) {
        self.capacity = max(capacity, 1024)
        base = .allocate(byteCount: self.capacity, alignment: 64)
        answer = .allocate(capacity: max(answerCapacity, 1))
    }

    deinit {
        base.deallocate()
        answer.deallocate()
    }

    /// At least `bytes` bytes of room (64-byte aligned); the same room each time unless it grows.
    func room(_ bytes: Int) -> UnsafeMutableRawPointer {
        if bytes > capacity {
            base.deallocate()
            capacity = max(bytes, 2 * capacity)
            base = .allocate(byteCount: capacity, alignment: 64)
        }
        return base
    }
}
