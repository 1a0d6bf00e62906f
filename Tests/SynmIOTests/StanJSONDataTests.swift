// Stan JSON data: scalars, vectors, matrices, 3-d arrays, empty, ragged, non-finite strings.
import Testing
@testable import SynmIO

@Suite struct StanJSONDataTests {
    @Test func scalarsKeepIntegerness() throws {
        let data = try StanJSONData.decode(#"{"N": 3, "sigma": 1.5, "x": 2.0, "big": -1e3}"#)
        #expect(data == [
            DataValue(name: "N", scalar: 3, isInteger: true),
            DataValue(name: "sigma", scalar: 1.5, isInteger: false),
            DataValue(name: "x", scalar: 2, isInteger: false),
            DataValue(name: "big", scalar: -1000, isInteger: false),
        ])
        #expect(data[0].isScalar)
        // A real literal with an integral value may still be used as an int.
        #expect(try data[2].integerValues() == [2])
    }

    @Test func vectorsMatricesAndArrays() throws {
        let data = try StanJSONData.decode("""
            {"y": [1, 2, 3],
             "m": [[1, 2, 3], [4, 5, 6.5]],
             "a": [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]}
            """)
        #expect(data.map(\.name) == ["y", "m", "a"])
        #expect(data[0] == DataValue(name: "y", shape: [3], values: [1, 2, 3], isInteger: true))
        #expect(data[1] == DataValue(name: "m", shape: [2, 3], values: [1, 2, 3, 4, 5, 6.5], isInteger: false))
        #expect(data[2].shape == [2, 3, 2])
        #expect(data[2].values == (1...12).map(Double.init))
        #expect(data[2].isInteger)
        #expect(data[2].multiIndex(ofFlatIndex: 7) == [2, 1, 2])
        #expect(data[2].elementName(flatIndex: 7) == "a[2, 1, 2]")
    }

    @Test func emptyArrays() throws {
        let data = try StanJSONData.decode(#"{"e": [], "e2": [[], []], "e3": [[[]]]}"#)
        #expect(data[0] == DataValue(name: "e", shape: [0], values: [], isInteger: true))
        #expect(data[1] == DataValue(name: "e2", shape: [2, 0], values: [], isInteger: true))
        #expect(data[2].shape == [1, 1, 0])
    }

    @Test func nonFiniteStrings() throws {
        let data = try StanJSONData.decode(
            #"{"a": "inf", "b": ["-inf", "+inf", "Infinity", "-Infinity", "NaN", "nan", 1]}"#)
        #expect(data[0] == DataValue(name: "a", scalar: .infinity, isInteger: false))
        let b = data[1].values
        #expect(b[0] == -.infinity && b[1] == .infinity && b[2] == .infinity && b[3] == -.infinity)
        #expect(b[4].isNaN && b[5].isNaN && b[6] == 1)
        #expect(!data[1].isInteger)
    }

    @Test func raggedArrayNamesTheElementAndLocation() throws {
        let error = try #require(dataError { try StanJSONData.decode(#"{"N": 2, "y": [[1,2],[3,4],[5]]}"#) })
        #expect(error.message == "ragged array: y[3] has 1 element, expected 2 like y[1]")
        #expect(error.variable == "y")
        #expect(error.location == TextLocation(line: 1, column: 28, offset: 27))
        #expect(error.description == "1:28: ragged array: y[3] has 1 element, expected 2 like y[1]")
    }

    @Test func mixedDepthsAreRagged() throws {
        let text = "{\n  \"a\": 1,\n  \"y\": [1, [2]]\n}"
        let error = try #require(dataError { try StanJSONData.decode(text) })
        #expect(error.message == "ragged array: y[2] is an array, expected a number like y[1]")
        #expect(error.location?.line == 3 && error.location?.column == 12)
        let other = try #require(dataError { try StanJSONData.decode(#"{"z": [[1, 2], 3]}"#) })
        #expect(other.message == "z[2] is a number, expected an array like z[1]")
        let deep = try #require(dataError { try StanJSONData.decode(#"{"w": [[[1], [2]], [[3], [4, 5]]]}"#) })
        #expect(deep.message == "ragged array: w[2, 2] has 2 elements, expected 1 like w[1, 1]")
    }

    @Test func badElementKinds() throws {
        let cases: [(String, String)] = [
            (#"{"y": [1, "abc"]}"#, #"y[2] is the string "abc", expected a number (or "inf", "-inf", "NaN")"#),
            (#"{"y": null}"#, "y is null, expected a number or an array"),
            (#"{"y": [true]}"#, "y[1] is a boolean, expected a number or an array"),
            (#"{"y": {"a": 1}}"#, "y is an object, expected a number or an array"),
        ]
        for (text, message) in cases {
            let error = try #require(dataError { try StanJSONData.decode(text) }, "\(text)")
            #expect(error.message == message)
            #expect(error.variable == "y")
            #expect(error.location != nil)
        }
        let located = try #require(dataError { try StanJSONData.decode(#"{"y": [1, "abc"]}"#) })
        #expect(located.location?.column == 11)
    }

    @Test func topLevelMustBeAnObject() throws {
        let error = try #require(dataError { try StanJSONData.decode("  [1, 2]") })
        #expect(error.message == "data must be a JSON object at the top level, found an array")
        #expect(error.location == TextLocation(line: 1, column: 3, offset: 2))
        #expect(error.variable == nil)
    }

    @Test func syntaxErrorsKeepTheirLocation() throws {
        let error = try #require(dataError { try StanJSONData.decode("{\"y\": [1, 2,]}") })
        #expect(error.message == "trailing comma before ']'")
        #expect(error.location?.column == 13)
    }

    @Test func inMemoryDocumentsHaveNoLocation() throws {
        let error = try #require(dataError { try StanJSONData.decode(JSONValue.object([JSONMember("y", [[1], []])])) })
        #expect(error.message == "ragged array: y[2] has 0 elements, expected 1 like y[1]")
        #expect(error.location == nil)
    }

    @Test func integerCheckNamesTheElement() throws {
        let data = try StanJSONData.decode(#"{"y": [1, 1.5], "m": [[1, 2], [3, 4.5]], "n": [1.0, 2e0], "h": 3e9}"#)
        #expect(dataError { try data[0].integerValues() }?.message == "y[2] is 1.5 but y is declared int")
        #expect(dataError { try data[1].integerValues() }?.message == "m[2, 2] is 4.5 but m is declared int")
        #expect(try data[2].integerValues() == [1, 2])
        #expect(dataError { try data[3].integerValues() }?.message == "h is 3000000000, outside the range of an int")
    }

    @Test func encodeRoundTrips() throws {
        let text = #"{"N":3,"x":[1.5,"inf",-2.0],"m":[[1,2],[3,4]],"e":[],"s":"NaN"}"#
        let data = try StanJSONData.decode(text)
        let written = StanJSONData.encode(data).serialized()
        #expect(written == #"{"N":3,"x":[1.5,"inf",-2.0],"m":[[1,2],[3,4]],"e":[],"s":"NaN"}"#)
        let back = try StanJSONData.decode(written)
        #expect(back.map(\.name) == data.map(\.name) && back.map(\.shape) == data.map(\.shape))
        #expect(back[0] == data[0] && back[2] == data[2] && back[3] == data[3])
    }
}
