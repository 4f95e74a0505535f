import Testing
@testable import OutcryParse

@Suite struct HTMLToTextTests {
    @Test(arguments: [
        ("<p>Hello&nbsp;<b>world</b></p><p>Bye</p>", "Hello world\n\nBye"),
        ("a<br>b<br><br>c", "a\nb\n\nc"),
        ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a\tb\nc"),
        ("<!-- hidden --><style>.x{}</style><script>if (a < b) {}</script>text", "text"),
        ("x<pre>  keep\n    this</pre>", "x\n\n  keep\n    this"),
        ("1 < 2 &amp; 3 > 2", "1 < 2 & 3 > 2"),
        ("<head><title>t</title><body>shown", "shown"),
        ("  lots   of \n\n  space  ", "lots of space"),
        ("<div>caf&eacute; &#8364;5</div>", "café €5"),
    ])
    func converts(html: String, expected: String) {
        #expect(HTMLToText.convert(html) == expected)
    }
}
