"""A fake SMTP server for tests: it can stall before greeting, as a slow mail server does."""

import socket
import threading


class StallingSmtpServer:
    """Accepts connections on 127.0.0.1; each waits for `release` before the 220 greeting,
    then speaks just enough SMTP to take messages, which it keeps in `messages`."""

    def __init__(self, stalled: bool = True, port: int = 0) -> None:
        self.release = threading.Event()
        if not stalled:
            self.release.set()
        self.connected = threading.Event()
        self.messages: list[str] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self.release.set()
        self._socket.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            self.connected.set()
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            with connection, connection.makefile("rb") as reader:
                self.release.wait(60)
                connection.sendall(b"220 fake.example ESMTP\r\n")
                while line := reader.readline():
                    command = line[:4].upper()
                    if command == b"DATA":
                        connection.sendall(b"354 go ahead\r\n")
                        data = []
                        while (part := reader.readline()) not in (b".\r\n", b""):
                            data.append(part)
                        with self._lock:
                            self.messages.append(b"".join(data).decode("utf-8", "replace"))
                        connection.sendall(b"250 queued\r\n")
                    elif command == b"QUIT":
                        connection.sendall(b"221 bye\r\n")
                        return
                    else:
                        connection.sendall(b"250 ok\r\n")
        except OSError:
            return  # the client went away (a killed sender): nothing to do
