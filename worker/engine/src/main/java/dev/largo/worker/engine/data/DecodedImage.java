package dev.largo.worker.engine.data;

/** One decoded image: uint8 pixels, height x width x channels (channels last). */
public record DecodedImage(int height, int width, int channels, byte[] pixels) {
}
