"""The frame codec and error mapping of vxnet_bridge, without a network."""

import asyncio
import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from vxnet_bridge import BusError, encode_frame, error_of, read_frame  # noqa: E402


def reader_of(*chunks, eof=True):
    reader = asyncio.StreamReader()
    for chunk in chunks:
        reader.feed_data(chunk)
    if eof:
        reader.feed_eof()
    return reader


class EncodeTest(unittest.TestCase):

    def test_length_prefix_is_big_endian_and_counts_utf8_bytes(self):
        data = encode_frame({"type": "publish", "address": "vxnet.chat.lobby", "body": {"text": "héllo"}})
        (length,) = struct.unpack(">I", data[:4])
        self.assertEqual(len(data) - 4, length)
        self.assertEqual('{"type":"publish","address":"vxnet.chat.lobby","body":{"text":"héllo"}}', data[4:].decode("utf-8"))

    def test_a_frame_above_the_limit_is_refused_before_sending(self):
        encode_frame({"t": "x" * 50}, max_bytes=58)
        with self.assertRaises(BusError) as refused:
            encode_frame({"t": "x" * 51}, max_bytes=58)
        self.assertEqual("TOO_LARGE", refused.exception.code)
        self.assertIn("59 bytes exceeds the limit of 58", refused.exception.message)


class ReadTest(unittest.IsolatedAsyncioTestCase):

    async def test_reads_what_encode_writes_however_it_is_split(self):
        frames = [{"type": "pong"}, {"type": "message", "address": "a", "body": [1, "é", None]}]
        data = b"".join(encode_frame(frame) for frame in frames)
        reader = reader_of(*[data[i:i + 1] for i in range(len(data))])
        self.assertEqual(frames[0], await read_frame(reader))
        self.assertEqual(frames[1], await read_frame(reader))
        self.assertIsNone(await read_frame(reader), "a clean end of stream")

    async def test_an_announced_length_above_the_limit_fails_before_its_payload_arrives(self):
        reader = reader_of(struct.pack(">I", 1_000_001), eof=False)
        with self.assertRaises(BusError) as refused:
            await asyncio.wait_for(read_frame(reader, max_bytes=1_000_000), 5)
        self.assertEqual("TOO_LARGE", refused.exception.code)

    async def test_an_end_of_stream_inside_a_frame_is_an_error(self):
        for partial in (b"\x00\x00", struct.pack(">I", 10) + b'{"a"'):
            with self.assertRaises(BusError) as cut:
                await read_frame(reader_of(partial))
            self.assertEqual("CLOSED", cut.exception.code)

    async def test_a_payload_that_is_not_a_json_object_is_an_error(self):
        for payload in (b"{nope", b"[1]", b"\xff\xfe"):
            with self.assertRaises(BusError) as bad:
                await read_frame(reader_of(struct.pack(">I", len(payload)) + payload))
            self.assertEqual("BAD_FRAME", bad.exception.code)


class ErrorOfTest(unittest.TestCase):

    def test_vxnet_err_frames_carry_their_code_and_detail(self):
        error = error_of({"type": "err", "message": "access_denied", "code": "DENIED",
                          "detail": "send to x is not permitted on this bridge", "address": "r1"})
        self.assertEqual(("DENIED", "send to x is not permitted on this bridge"), (error.code, error.message))

    def test_err_frames_of_a_stock_vertx_bridge_are_understood(self):
        self.assertEqual("DENIED", error_of({"type": "err", "message": "access_denied"}).code)
        self.assertEqual("UNAVAILABLE", error_of({"type": "err", "failureType": "NO_HANDLERS", "failureCode": -1,
                                                  "message": "No handlers for address a"}).code)
        self.assertEqual("TIMEOUT", error_of({"type": "err", "failureType": "TIMEOUT", "message": "Timed out"}).code)
        self.assertEqual("ERROR", error_of({"type": "err", "message": "unknown_type"}).code)


if __name__ == "__main__":
    unittest.main()
